package io.vdsoinventory.server.fleet;

import io.vdsoinventory.protocol.ClockReading;
import io.vdsoinventory.protocol.ProcessScanSummary;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Published (after commit) when a report changed or confirmed a host's state; detection listens to it.
 *
 * @param hostId the reporting host
 * @param imageSha256 the host's current image, or null when it has no vDSO
 * @param changes what changed in this report; empty for a plain heartbeat
 * @param detectionStale whether detection's record of the host no longer matches its state (read by the
 *     statement that wrote the report): detection evaluates the host then, or when the scan or clock check differ
 * @param processScan the report's per-process scan summary, null when the agent ran none
 * @param clockCheck the report's vDSO clock check, null when the agent ran none
 */
public record HostReported(long hostId, @Nullable String imageSha256, Set<HostEventKind> changes,
        boolean detectionStale, @Nullable ProcessScanSummary processScan, @Nullable List<ClockReading> clockCheck) {
    public HostReported {
        changes = Set.copyOf(changes);
        clockCheck = clockCheck == null ? null : List.copyOf(clockCheck);
    }
}
