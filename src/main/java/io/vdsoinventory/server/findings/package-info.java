/**
 * Findings: their store (opening and resolving also write the host's timeline and the webhook outbox), the
 * queries behind {@code GET /findings}, and suppression by an admin.
 */
@NullMarked
package io.vdsoinventory.server.findings;

import org.jspecify.annotations.NullMarked;
