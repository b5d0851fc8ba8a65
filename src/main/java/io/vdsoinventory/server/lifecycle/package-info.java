/**
 * A host's lifecycle: an admin retires a decommissioned host (audited on its timeline, its node key revoked, its
 * silence finding resolved), the optional automatic retirement of hosts silent for too long, a retired host's
 * return when it enrols again ({@link io.vdsoinventory.server.fleet.HostEnrolled}), and HOST_KEY_CONFLICT when two
 * agents enrol under one host key. Retired hosts are kept in
 * {@code host_retirements}; the host lists and the silence sweep leave them out.
 */
@NullMarked
package io.vdsoinventory.server.lifecycle;

import org.jspecify.annotations.NullMarked;
