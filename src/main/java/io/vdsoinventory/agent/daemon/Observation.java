package io.vdsoinventory.agent.daemon;

import io.vdsoinventory.protocol.ClockReading;
import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.ProcessMismatch;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.VdsoFacts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the daemon saw of its host at one moment.
 *
 * @param at when it was seen
 * @param hostname the host's name
 * @param kernel the running kernel's identity
 * @param image the vDSO bytes (or the {@code --image} file's), null on a host without a vDSO
 * @param vdso the facts of {@code image}
 * @param scan the per-process scan, when enabled
 * @param clock the vDSO clock check, when enabled
 */
record Observation(Instant at, String hostname, KernelFacts kernel, byte[] image, VdsoFacts vdso, ProcessScanSummary scan,
        List<ClockReading> clock) {

    /**
     * What makes two observations a change: kernel identity (boot id included), image and which processes
     * mismatch with which symbols. Hostname-only and scan-count changes ride on the next heartbeat.
     */
    record Fingerprint(KernelFacts kernel, String imageSha256, List<ProcessMismatch> mismatching) {
    }

    Fingerprint fingerprint() {
        return new Fingerprint(kernel, vdso == null ? null : vdso.sha256(),
                scan == null || scan.processes() == null ? List.of() : scan.processes());
    }

    /**
     * A report of this observation under a fresh report id (kept with the spooled record for retries), observed at
     * {@code at} to the millisecond: enough to order a timeline, and short on the wire.
     */
    ReportRequest report(Map<String, String> labels) {
        return new ReportRequest(UUID.randomUUID(), at.truncatedTo(ChronoUnit.MILLIS), hostname, labels, kernel, vdso,
                scan, null, null, clock);
    }

    /** One line naming what changed from {@code before}, for the log. */
    String changeFrom(Observation before) {
        StringBuilder what = new StringBuilder();
        if (!Objects.equals(before.kernel.release(), kernel.release())
                || !Objects.equals(before.kernel.version(), kernel.version())
                || !Objects.equals(before.kernel.buildId(), kernel.buildId())) {
            what.append(" kernel ").append(before.kernel.release()).append(" -> ").append(kernel.release());
        }
        if (!Objects.equals(before.kernel.bootId(), kernel.bootId())) {
            what.append(" boot ").append(before.kernel.bootId()).append(" -> ").append(kernel.bootId());
        }
        String imageBefore = before.vdso == null ? "none" : before.vdso.sha256();
        String imageNow = vdso == null ? "none" : vdso.sha256();
        if (!imageBefore.equals(imageNow)) {
            what.append(" image ").append(imageBefore).append(" -> ").append(imageNow);
        }
        if (!before.fingerprint().mismatching().equals(fingerprint().mismatching())) {
            what.append(" mismatching processes ").append(before.fingerprint().mismatching().size()).append(" -> ")
                    .append(fingerprint().mismatching().size());
        }
        return what.toString().strip();
    }
}
