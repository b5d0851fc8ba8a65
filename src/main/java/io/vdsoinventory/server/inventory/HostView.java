package io.vdsoinventory.server.inventory;

import io.vdsoinventory.protocol.ProcessMismatch;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.ImageStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A host as {@code GET /hosts} shows it (schema {@code Host} of openapi.yaml).
 *
 * @param id the service's id
 * @param hostname the reported hostname
 * @param labels operator labels
 * @param kernel the running kernel; fields are null until the first report
 * @param vdso the current image, or null before the first report and on hosts without a vDSO
 * @param firstSeen enrolment time
 * @param lastSeen last report (or enrolment)
 * @param changedAt last change of state
 * @param processScan the last per-process scan summary, or null when the agent reported none; the list of
 *        differing processes only on {@code GET /hosts/{id}}
 * @param findings the open findings
 * @param retirement who retired the host, when and why; null for an active host
 */
record HostView(long id, String hostname, Map<String, String> labels, Kernel kernel, @Nullable Vdso vdso,
        @Nullable ProcessScan processScan, Instant firstSeen, Instant lastSeen, Instant changedAt,
        List<Finding> findings, @Nullable Retirement retirement) {

    /** The running kernel. */
    record Kernel(@Nullable String release, @Nullable String version, @Nullable String arch,
            @Nullable String buildId, @Nullable String bootId) {
    }

    /**
     * The current vDSO image; normalizedSha256 and buildId come from the service's own analysis once the bytes
     * arrived ({@code status} ANALYZED), from the agent's claim before.
     */
    record Vdso(String sha256, @Nullable String normalizedSha256, @Nullable String buildId, @Nullable Integer size,
            ImageStatus status) {
    }

    /**
     * The last process scan and its coverage (schema {@code ProcessScanSummary}): {@code complete} is false when
     * the agent could not read or skipped some processes, null when it did not say.
     */
    record ProcessScan(int processesScanned, int mismatches, @Nullable Integer unreadable, @Nullable Integer skipped,
            @Nullable Boolean privileged, @Nullable Boolean complete, @Nullable List<ProcessMismatch> processes,
            @Nullable Integer noVdso, @Nullable Integer exited, @Nullable Boolean truncated) {

        /** This scan with the per-process details of {@code judged}, the scan detection last judged. */
        ProcessScan with(ProcessScanSummary judged) {
            return new ProcessScan(processesScanned, mismatches, unreadable, skipped, privileged, complete,
                    judged.processes(), judged.noVdso(), judged.exited(), judged.truncated());
        }
    }

    /** An open finding. */
    record Finding(FindingKind kind, Severity severity) {
    }

    /** The audit of a retirement. */
    record Retirement(Instant at, String by, String reason) {
    }

    HostView withProcessScan(ProcessScan scan) {
        return new HostView(id, hostname, labels, kernel, vdso, scan, firstSeen, lastSeen, changedAt, findings,
                retirement);
    }
}
