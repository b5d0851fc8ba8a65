/**
 * Trust: an admin marks an image good or bad or imports a known-good reference, and the hosts that run it are
 * evaluated again at once.
 */
@NullMarked
package io.vdsoinventory.server.trust;

import org.jspecify.annotations.NullMarked;
