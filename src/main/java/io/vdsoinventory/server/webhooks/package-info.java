/**
 * Webhooks: the outbox written with each newly opened finding of a posted severity, and the dispatcher that
 * sends it, signed, batched and retried.
 */
@NullMarked
package io.vdsoinventory.server.webhooks;

import org.jspecify.annotations.NullMarked;
