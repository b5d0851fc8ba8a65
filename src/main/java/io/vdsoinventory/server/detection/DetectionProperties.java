package io.vdsoinventory.server.detection;

import io.vdsoinventory.protocol.ProcessScanSummary;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of detection ({@code vdso.detection.*}).
 *
 * @param quorum hosts that must agree on a variant before the cohort's majority becomes its baseline
 * @param allowlist allowlist mode: every image no admin trusted raises UNTRUSTED_IMAGE
 * @param silentAfter a host that has not reported for this long is silent (HOST_SILENT)
 * @param sweepInterval how often the silent-host and drift-expiry sweep runs
 * @param driftWindow how long a KERNEL_DRIFT finding stays open before it resolves itself
 * @param cohortBatch hosts re-evaluated per transaction when a cohort's baseline changes
 * @param clockTolerance how far the vDSO's clock_gettime may be from the system call's before the host gets
 *        VDSO_CLOCK_MISMATCH
 * @param processEvidence how many differing processes a PROCESS_VDSO_MISMATCH finding names at most (1 to
 *        {@value ProcessScanSummary#MAX_LISTED}, what a report lists)
 */
@ConfigurationProperties("vdso.detection")
public record DetectionProperties(
        @DefaultValue("3") int quorum,
        @DefaultValue("false") boolean allowlist,
        @DefaultValue("5m") Duration silentAfter,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("24h") Duration driftWindow,
        @DefaultValue("200") int cohortBatch,
        @DefaultValue("250ms") Duration clockTolerance,
        @DefaultValue("32") int processEvidence) {

    public DetectionProperties {
        if (quorum < 1) {
            throw new IllegalArgumentException("vdso.detection.quorum must be positive, got " + quorum);
        }
        if (cohortBatch < 1) {
            throw new IllegalArgumentException("vdso.detection.cohort-batch must be positive, got " + cohortBatch);
        }
        if (processEvidence < 1 || processEvidence > ProcessScanSummary.MAX_LISTED) {
            throw new IllegalArgumentException("vdso.detection.process-evidence must be between 1 and "
                    + ProcessScanSummary.MAX_LISTED + ", got " + processEvidence);
        }
        if (!positive(silentAfter) || !positive(sweepInterval) || !positive(driftWindow) || !positive(clockTolerance)) {
            throw new IllegalArgumentException("vdso.detection durations must be positive");
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
