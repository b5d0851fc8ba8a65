package io.vdsoinventory.server.fleet;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Published inside the transaction of an enrolment (so its listeners write in it): the host with a host key
 * registered, for the first time or again.
 *
 * @param hostId the host
 * @param created whether the host key was new
 * @param address the source address of the enrolment; null for the server's in-process agent
 * @param lastSeen the host's last report (or its enrolment) before this enrolment
 * @param replaced the node key this enrolment replaced; null when the host had none
 */
public record HostEnrolled(long hostId, boolean created, @Nullable String address, Instant lastSeen,
        @Nullable ReplacedKey replaced) {

    /** A replaced node key: when and where from (null: not recorded) it was enrolled. */
    public record ReplacedKey(Instant enrolledAt, @Nullable String enrolledFrom) {
    }
}
