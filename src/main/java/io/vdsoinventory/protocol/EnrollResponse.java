package io.vdsoinventory.protocol;

/**
 * The answer to an enrolment.
 *
 * @param hostId the service's id of the host record
 * @param nodeKey the bearer credential for {@code /agent/reports} and image uploads; shown once, stored hashed
 */
public record EnrollResponse(long hostId, String nodeKey) {
}
