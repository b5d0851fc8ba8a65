package io.vdsoinventory.server.detection;

import io.vdsoinventory.protocol.ClockReading;
import io.vdsoinventory.protocol.ProcessMismatch;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.fleet.HostReported;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's own observations as detection judges them: the process scan (PROCESS_VDSO_MISMATCH, naming the
 * processes and symbols; INCOMPLETE_SCAN when it could not read them all) and the vDSO clock check (VDSO_CLOCK_MISMATCH beyond the tolerance), and the digest and
 * verdict that tell whether a report changes either.
 */
@Component
class AgentEvidence {

    private static final TypeReference<List<ClockReading>> READINGS = new TypeReference<>() {
    };

    private final JsonMapper json;
    private final long toleranceNanos;
    private final int processCap;

    AgentEvidence(JsonMapper json, DetectionProperties properties) {
        this.json = json;
        this.toleranceNanos = properties.clockTolerance().toNanos();
        this.processCap = properties.processEvidence();
    }

    /**
     * What a report said (or, without one, what detection stored last), each part null when unknown.
     *
     * @param scan the process scan summary
     * @param scanDigest what PROCESS_VDSO_MISMATCH depends on: a scan with the same digest changes nothing
     * @param clock the clock readings
     * @param clockConsistent whether every reading is within the tolerance; null when no reading was taken
     */
    record Observed(@Nullable ProcessScanSummary scan, @Nullable String scanDigest, @Nullable List<ClockReading> clock,
            @Nullable Boolean clockConsistent) {

        /** Nothing observed: an evaluation that no report triggered. */
        static final Observed NONE = new Observed(null, null, null, null);

        /** This observation, each unknown part taken from {@code stored}. */
        Observed or(Observed stored) {
            boolean scanned = scan != null;
            boolean checked = clockConsistent != null;
            return new Observed(scanned ? scan : stored.scan(), scanned ? scanDigest : stored.scanDigest(),
                    checked ? clock : stored.clock(), checked ? clockConsistent : stored.clockConsistent());
        }
    }

    /** What {@code event}'s report observed. */
    Observed of(HostReported event) {
        ProcessScanSummary scan = event.processScan();
        List<ClockReading> clock = event.clockCheck();
        boolean checked = clock != null && !clock.isEmpty();
        return new Observed(scan, scan == null ? null : digest(scan), checked ? clock : null,
                checked ? clock.stream().allMatch(this::withinTolerance) : null);
    }

    /** What detection stored last ({@code host_detection}), as read from its columns. */
    Observed stored(@Nullable String scanJson, @Nullable String scanDigest, @Nullable String clockJson,
            @Nullable Boolean clockConsistent) {
        return new Observed(scanJson == null ? null : json.readValue(scanJson, ProcessScanSummary.class), scanDigest,
                clockJson == null ? null : json.readValue(clockJson, READINGS), clockConsistent);
    }

    /** {@code value} as stored in a jsonb column. */
    @Nullable String toJson(@Nullable Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    /** The evidence of PROCESS_VDSO_MISMATCH when the scan found differing processes. */
    Optional<Map<String, @Nullable Object>> processMismatch(ProcessScanSummary scan) {
        if (scan.mismatches() == 0) {
            return Optional.empty();
        }
        List<ProcessMismatch> named = listed(scan).stream().limit(processCap).toList();
        Map<String, @Nullable Object> evidence = counts(scan);
        evidence.put("noVdso", scan.noVdso());
        evidence.put("exited", scan.exited());
        evidence.put("processes", named);
        evidence.put("truncated", scan.mismatches() > named.size());
        return Optional.of(evidence);
    }

    /**
     * The evidence of INCOMPLETE_SCAN when the scan could not compare every process with a vDSO: it vouches for
     * the processes it read only.
     */
    Optional<Map<String, @Nullable Object>> incompleteScan(ProcessScanSummary scan) {
        if (!Boolean.FALSE.equals(scan.complete())) {
            return Optional.empty();
        }
        Map<String, @Nullable Object> evidence = counts(scan);
        evidence.put("remedy", "run the agent's scan as root or with CAP_SYS_PTRACE (docker/vdso-agent-scan.conf)");
        return Optional.of(evidence);
    }

    /** What every scan finding shows first: what was compared, what differed, what could not be read and why. */
    private static Map<String, @Nullable Object> counts(ProcessScanSummary scan) {
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("processesScanned", scan.processesScanned());
        evidence.put("mismatches", scan.mismatches());
        evidence.put("unreadable", scan.unreadable());
        evidence.put("skipped", scan.skipped());
        evidence.put("privileged", scan.privileged());
        return evidence;
    }

    /** The evidence of VDSO_CLOCK_MISMATCH when a reading is farther from the system call than the tolerance. */
    Optional<Map<String, @Nullable Object>> clockMismatch(List<ClockReading> readings) {
        if (readings.stream().allMatch(this::withinTolerance)) {
            return Optional.empty();
        }
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("toleranceNanos", toleranceNanos);
        evidence.put("readings", readings);
        return Optional.of(evidence);
    }

    private boolean withinTolerance(ClockReading reading) {
        // |difference| <= tolerance without overflowing on Long.MIN_VALUE
        return reading.differenceNanos() >= -toleranceNanos && reading.differenceNanos() <= toleranceNanos;
    }

    /**
     * The differing processes, the count and whether the scan was complete: not the scanned or unreadable counts,
     * which move every scan.
     */
    private record Digested(int mismatches, List<ProcessMismatch> processes, @Nullable Boolean complete) {
    }

    private String digest(ProcessScanSummary scan) {
        return Sha256.of(json.writeValueAsBytes(new Digested(scan.mismatches(), listed(scan), scan.complete())));
    }

    private static List<ProcessMismatch> listed(ProcessScanSummary scan) {
        return Objects.requireNonNullElse(scan.processes(), List.of());
    }
}
