package io.vdsoinventory.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /agent/enroll}: exchanges the fleet's enroll secret for a node key.
 *
 * @param enrollSecret the shared secret the service was started with
 * @param hostKey a stable identity of the host (derived from /etc/machine-id); enrolling again with the same key
 *        returns to the same host record
 * @param hostname the host's name at enrolment
 */
public record EnrollRequest(
        @NotBlank @Size(max = 256) String enrollSecret,
        @NotBlank @Size(max = 256) String hostKey,
        @NotBlank @Size(max = 253) String hostname) {
}
