package io.vdsoinventory.server.fleet;

/**
 * Published inside the transaction of an enrolment (so its listeners write in it): the host with a host key
 * registered, for the first time or again.
 *
 * @param hostId the host
 * @param created whether the host key was new
 */
public record HostEnrolled(long hostId, boolean created) {
}
