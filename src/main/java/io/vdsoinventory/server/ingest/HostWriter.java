package io.vdsoinventory.server.ingest;

import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.server.HostTimeline;
import io.vdsoinventory.server.detection.NeedsEvaluation;
import io.vdsoinventory.server.fleet.HostEventKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writes of ingest to {@code hosts}, {@code host_events} and {@code reports}, but for steady heartbeats
 * ({@link HeartbeatBatcher}).
 */
@Repository
class HostWriter {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final HostTimeline timeline;

    HostWriter(JdbcClient jdbc, JsonMapper json, HostTimeline timeline) {
        this.jdbc = jdbc;
        this.json = json;
        this.timeline = timeline;
    }

    /** The host that sent the remembered report {@code reportId}, if it is remembered. */
    Optional<Long> reportOwner(UUID reportId) {
        return jdbc.sql("SELECT host_id FROM reports WHERE report_id = :id")
                .param("id", reportId)
                .query(Long.class)
                .optional();
    }

    /** Remembers a state-changing report; a report id already remembered fails with a duplicate key. */
    void rememberReport(UUID reportId, long hostId) {
        jdbc.sql("INSERT INTO reports (report_id, host_id) VALUES (:id, :hostId)")
                .param("id", reportId)
                .param("hostId", hostId)
                .update();
    }

    /**
     * The state a report is compared with, read under a row lock held until commit (one host's reports apply one
     * at a time), and whether the bytes of {@code imageSha256} are already stored.
     */
    record State(String hostname, Map<String, String> labels, @Nullable String kernelRelease,
            @Nullable String kernelVersion, @Nullable String kernelBuildId, @Nullable String bootId,
            @Nullable String imageSha256, boolean reportedImageStored) {
    }

    State lockState(long hostId, @Nullable String reportedImage) {
        return jdbc.sql("""
                SELECT h.hostname, h.labels::text AS labels, k.release, k.version, k.build_id, h.boot_id,
                       encode(h.image_sha256, 'hex') AS image_sha256,
                       EXISTS (SELECT 1 FROM images WHERE sha256 = :reportedImage) AS stored
                FROM hosts h LEFT JOIN kernels k ON k.id = h.kernel_id WHERE h.id = :id FOR UPDATE OF h
                """)
                .param("id", hostId)
                .param("reportedImage", reportedImage)
                .query((rs, row) -> new State(rs.getString("hostname"),
                        json.readValue(rs.getString("labels"), LABELS), rs.getString("release"),
                        rs.getString("version"), rs.getString("build_id"), rs.getString("boot_id"),
                        rs.getString("image_sha256"), rs.getBoolean("stored")))
                .single();
    }

    /**
     * The agent's claims about its image (normalized hash, build-id, size), stored only until the service has
     * analysed the image's bytes: reads show the analysis then, so keeping the claims would only cost every host
     * their bytes. Formatted with the claimed values and the reported image's hex SHA-256.
     */
    static final String CLAIMS = """
            (reported_normalized_sha256, reported_build_id, reported_size) = (SELECT %s, %s, %s
                WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = %s AND i.status = 'ANALYZED'))""";

    /** The statement of {@link #update}, built once. */
    private static final String UPDATE = """
            UPDATE hosts h SET
                hostname = :hostname, labels = CAST(:labels AS jsonb),
                kernel_id = :kernelId, boot_id = :bootId,
                image_sha256 = decode(:sha256, 'hex'), %s,
                processes_scanned = :processesScanned, process_mismatches = :processMismatches,
                processes_unreadable = :processesUnreadable, processes_skipped = :processesSkipped,
                scan_privileged = :scanPrivileged, scan_complete = :scanComplete,
                last_seen = now(),
                changed_at = CASE WHEN :changed THEN now() ELSE changed_at END
            WHERE id = :id
            RETURNING """.formatted(CLAIMS.formatted("CAST(:normalizedSha256 AS text)", "CAST(:buildId AS text)",
                    "CAST(:size AS integer)", ":sha256")) + NeedsEvaluation.HOST_ROW;

    /**
     * Writes the reported state; {@code changed} moves {@code changed_at} (the {@code changedSince} filter).
     * Answers whether detection's record of the host is stale now.
     */
    boolean update(long hostId, int kernelId, ReportRequest report, Map<String, String> labels, boolean changed) {
        return jdbc.sql(UPDATE)
                .param("id", hostId)
                .param("hostname", report.hostname())
                .param("labels", json.writeValueAsString(labels))
                .params(reportedState(kernelId, report))
                .param("changed", changed)
                .query(Boolean.class)
                .single();
    }

    /**
     * The reported facts both writes store, as named parameters (kernel, boot, image, process scan and its coverage); {@code kernelId}
     * names the report's kernel ({@link KernelIds}).
     */
    static Map<String, @Nullable Object> reportedState(int kernelId, ReportRequest report) {
        VdsoFacts vdso = report.vdso();
        Map<String, @Nullable Object> state = new HashMap<>();
        state.put("kernelId", kernelId);
        state.put("bootId", report.kernel().bootId());
        state.put("sha256", vdso == null ? null : vdso.sha256());
        state.put("normalizedSha256", vdso == null ? null : vdso.normalizedSha256());
        state.put("buildId", vdso == null ? null : vdso.buildId());
        state.put("size", vdso == null ? null : vdso.size());
        ProcessScanSummary scan = report.processScan();
        state.put("processesScanned", scan == null ? null : scan.processesScanned());
        state.put("processMismatches", scan == null ? null : scan.mismatches());
        state.put("processesUnreadable", scan == null ? null : scan.unreadable());
        state.put("processesSkipped", scan == null ? null : scan.skipped());
        state.put("scanPrivileged", scan == null ? null : scan.privileged());
        state.put("scanComplete", scan == null ? null : scan.complete());
        return state;
    }

    /**
     * The events a report observed appends, at one time for all of them: {@code at} when the report says when it
     * was observed, else (an older agent, the in-process reporter) the time of the transaction.
     */
    final class ReportEvents {

        private final long hostId;
        private final @Nullable Instant at;
        private final @Nullable Instant receivedAt;

        private ReportEvents(long hostId, @Nullable Instant at, @Nullable Instant receivedAt) {
            this.hostId = hostId;
            this.at = at;
            this.receivedAt = receivedAt;
        }

        /** Appends one event; its detail names {@code receivedAt} too when that is not the event's time. */
        void append(HostEventKind kind, Map<String, @Nullable Object> detail) {
            if (receivedAt != null && !receivedAt.equals(at)) {
                detail.put("receivedAt", receivedAt);
            }
            timeline.append(hostId, at, kind, detail);
        }
    }

    /** Kinds an agent's observations or enrolment write: the host's own history, without detection's verdicts. */
    private static final List<String> OBSERVED_KINDS = Stream.of(HostEventKind.ENROLLED, HostEventKind.FIRST_REPORT,
            HostEventKind.KERNEL_CHANGED, HostEventKind.REBOOTED, HostEventKind.IMAGE_CHANGED,
            HostEventKind.LABELS_CHANGED, HostEventKind.HOSTNAME_CHANGED, HostEventKind.OBSERVATIONS_DROPPED)
            .map(HostEventKind::name).toList();

    /**
     * The events of a report of {@code hostId} observed at {@code observedAt} (null: not said), placed at that time
     * within two bounds, so that an agent's wrong clock cannot rewrite the host's history:
     * <ul>
     * <li>not later than now (the transaction's time, when the report arrived): a future time is clamped to now;
     * <li>not earlier than the latest event of an earlier observation or of the enrolment: an agent delivers its
     * spool oldest first, so a report observed before its predecessor can only come from a clock set back. The
     * host's own history stays in order; detection's verdicts (FINDING_*), written when reports arrive, are no
     * bound, or a HOST_SILENT opened during an outage would move every observation of the outage past it.
     * Re-enrolment is no bound either: an agent that re-enrols while draining its spool still holds earlier
     * observations.
     * </ul>
     * A clock behind places an event no earlier than the host's previous observed event; the event's detail then
     * names {@code receivedAt}, the arrival, as it does whenever the two times differ.
     */
    ReportEvents reportEvents(long hostId, @Nullable Instant observedAt) {
        if (observedAt == null) {
            return new ReportEvents(hostId, null, null);
        }
        record Bounds(Instant now, @Nullable Instant latest) {
        }
        Bounds bounds = jdbc.sql("""
                SELECT now() AS now, (SELECT at FROM host_events WHERE host_id = :id AND kind IN (:kinds)
                                      ORDER BY id DESC LIMIT 1) AS latest
                """)
                .param("id", hostId)
                .param("kinds", OBSERVED_KINDS)
                .query((rs, row) -> new Bounds(rs.getTimestamp("now").toInstant(),
                        rs.getTimestamp("latest") == null ? null : rs.getTimestamp("latest").toInstant()))
                .single();
        // the latest observed event's time only grows under these bounds, so the latest by id is the latest in time
        Instant at = observedAt.isAfter(bounds.now()) ? bounds.now() : observedAt;
        if (bounds.latest() != null && at.isBefore(bounds.latest())) {
            at = bounds.latest();
        }
        return new ReportEvents(hostId, at, bounds.now());
    }

    /** The image a host reported last. */
    Optional<String> currentImage(long hostId) {
        return jdbc.sql("SELECT encode(image_sha256, 'hex') FROM hosts WHERE id = :id")
                .param("id", hostId)
                .query(String.class)
                .optional();
    }
}
