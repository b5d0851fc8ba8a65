package io.vdsoinventory.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /agent/reports}: one observation of a host. A steady-state report is a heartbeat that names the
 * image by hash; the bytes travel once per distinct image ({@code PUT /agent/images/{sha256}}).
 *
 * @param reportId chosen by the agent; a retry with the same id is answered without being applied twice
 * @param observedAt when the agent made the observation (a spooled report keeps it), or null: the host's events
 *     are placed at this time, within the bounds the service sets, instead of at the report's arrival
 * @param hostname the host's current name
 * @param labels operator-chosen key/value labels (at most 64); null keeps the host's current labels, empty clears them
 * @param kernel the running kernel's identity
 * @param vdso the captured image, or null on a host without a vDSO ({@code vdso=0})
 * @param processScan the per-process scan summary, when the agent ran one
 * @param droppedHeartbeats plain heartbeats the agent's full offline spool dropped since its previous report
 * @param droppedChanges change observations the agent's spool dropped (only when it held nothing but changes)
 * @param clockCheck the vDSO's clock_gettime against the system call, when the agent checked it
 */
public record ReportRequest(
        @NotNull UUID reportId,
        @Nullable Instant observedAt,
        @NotBlank @Size(max = 253) String hostname,
        @Size(max = 64) @Nullable Map<@NotBlank @Size(max = 128) String, @NotNull @Size(max = 256) String> labels,
        @NotNull @Valid KernelFacts kernel,
        @Valid @Nullable VdsoFacts vdso,
        @Valid @Nullable ProcessScanSummary processScan,
        @PositiveOrZero @Nullable Integer droppedHeartbeats,
        @PositiveOrZero @Nullable Integer droppedChanges,
        @Size(max = 4) @Valid @Nullable List<@NotNull @Valid ClockReading> clockCheck) {

    /** A report without observation time, spool drop counts or clock check: answered as observed on arrival. */
    public ReportRequest(UUID reportId, String hostname, @Nullable Map<String, String> labels, KernelFacts kernel,
            @Nullable VdsoFacts vdso, @Nullable ProcessScanSummary processScan) {
        this(reportId, null, hostname, labels, kernel, vdso, processScan, null, null, null);
    }

    /** This report carrying an agent's spool drop counts. */
    public ReportRequest withDrops(int heartbeats, int changes) {
        return new ReportRequest(reportId, observedAt, hostname, labels, kernel, vdso, processScan, heartbeats, changes,
                clockCheck);
    }
}
