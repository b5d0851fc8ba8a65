package io.vdsoinventory.server.ingest;

import io.vdsoinventory.server.inventory.HostEventKind;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Published (after commit) when a report changed or confirmed a host's state; detection listens to it.
 *
 * @param hostId the reporting host
 * @param imageSha256 the host's current image, or null when it has no vDSO
 * @param changes what changed in this report; empty for a plain heartbeat
 * @param detectionStale whether detection's record of the host no longer matches its state (read by the
 *     statement that wrote the report): detection evaluates the host only then
 */
public record HostReported(long hostId, @Nullable String imageSha256, Set<HostEventKind> changes,
        boolean detectionStale) {
    public HostReported {
        changes = Set.copyOf(changes);
    }
}
