package io.vdsoinventory.server.ingest;

import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.server.inventory.HostEventKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The writes of ingest to {@code hosts}, {@code host_events} and {@code reports}. */
@Repository
class HostWriter {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HostWriter(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The id of the host with {@code hostKey}, created when new; {@code created} tells which. */
    record Enrolled(long id, boolean created) {
    }

    Enrolled enroll(String hostKey, String hostname) {
        return jdbc.sql("""
                INSERT INTO hosts (host_key, hostname) VALUES (:hostKey, :hostname)
                ON CONFLICT (host_key) DO UPDATE SET hostname = EXCLUDED.hostname
                RETURNING id, (xmax = 0) AS created
                """)
                .param("hostKey", hostKey)
                .param("hostname", hostname)
                .query((rs, row) -> new Enrolled(rs.getLong("id"), rs.getBoolean("created")))
                .single();
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
                SELECT hostname, labels::text AS labels, kernel_release, kernel_version, kernel_build_id, boot_id,
                       image_sha256, EXISTS (SELECT 1 FROM images WHERE sha256 = :reportedImage) AS stored
                FROM hosts WHERE id = :id FOR UPDATE
                """)
                .param("id", hostId)
                .param("reportedImage", reportedImage)
                .query((rs, row) -> new State(rs.getString("hostname"),
                        json.readValue(rs.getString("labels"), LABELS), rs.getString("kernel_release"),
                        rs.getString("kernel_version"), rs.getString("kernel_build_id"), rs.getString("boot_id"),
                        rs.getString("image_sha256"), rs.getBoolean("stored")))
                .single();
    }

    /**
     * A steady heartbeat in one statement: when the report would record no event (same hostname, labels, kernel,
     * boot and image as stored; the same comparisons as {@link IngestService}, null version as empty, null build id
     * as none) and its id is not remembered, writes the reported state under the row lock and answers whether the
     * bytes of the reported image are stored. Otherwise writes nothing and answers empty: the caller compares in
     * full. Saves the read of the state, the report-id lookup and the separate update on every unchanged report.
     */
    Optional<Boolean> updateIfSteady(long hostId, ReportRequest report) {
        return jdbc.sql("""
                UPDATE hosts SET
                    arch = :arch, reported_normalized_sha256 = :normalizedSha256, reported_build_id = :buildId,
                    reported_size = :size, processes_scanned = :processesScanned,
                    process_mismatches = :processMismatches, last_seen = now()
                WHERE id = :id AND hostname = :hostname AND kernel_release = :release
                  AND coalesce(kernel_version, '') = coalesce(:version, '')
                  AND coalesce(kernel_build_id, 'none') = coalesce(:kernelBuildId, 'none')
                  AND boot_id IS NOT DISTINCT FROM :bootId AND image_sha256 IS NOT DISTINCT FROM :sha256
                  AND (CAST(:labels AS jsonb) IS NULL OR labels = CAST(:labels AS jsonb))
                  AND NOT EXISTS (SELECT 1 FROM reports WHERE report_id = :reportId)
                RETURNING EXISTS (SELECT 1 FROM images WHERE sha256 = :sha256) AS stored
                """)
                .param("id", hostId)
                .param("reportId", report.reportId())
                .param("hostname", report.hostname())
                .param("labels", report.labels() == null ? null : json.writeValueAsString(report.labels()))
                .params(reportedState(report))
                .query(Boolean.class)
                .optional();
    }

    /** Writes the reported state; {@code changed} moves {@code changed_at} (the {@code changedSince} filter). */
    void update(long hostId, ReportRequest report, Map<String, String> labels, boolean changed) {
        jdbc.sql("""
                UPDATE hosts SET
                    hostname = :hostname, labels = CAST(:labels AS jsonb),
                    kernel_release = :release, kernel_version = :version, arch = :arch,
                    kernel_build_id = :kernelBuildId, boot_id = :bootId,
                    image_sha256 = :sha256, reported_normalized_sha256 = :normalizedSha256,
                    reported_build_id = :buildId, reported_size = :size,
                    processes_scanned = :processesScanned, process_mismatches = :processMismatches,
                    last_seen = now(),
                    changed_at = CASE WHEN :changed THEN now() ELSE changed_at END
                WHERE id = :id
                """)
                .param("id", hostId)
                .param("hostname", report.hostname())
                .param("labels", json.writeValueAsString(labels))
                .params(reportedState(report))
                .param("changed", changed)
                .update();
    }

    /** The reported facts both writes store, as named parameters (kernel, image, process scan). */
    private static Map<String, @Nullable Object> reportedState(ReportRequest report) {
        VdsoFacts vdso = report.vdso();
        Map<String, @Nullable Object> state = new HashMap<>();
        state.put("release", report.kernel().release());
        state.put("version", report.kernel().version());
        state.put("arch", report.kernel().arch());
        state.put("kernelBuildId", report.kernel().buildId());
        state.put("bootId", report.kernel().bootId());
        state.put("sha256", vdso == null ? null : vdso.sha256());
        state.put("normalizedSha256", vdso == null ? null : vdso.normalizedSha256());
        state.put("buildId", vdso == null ? null : vdso.buildId());
        state.put("size", vdso == null ? null : vdso.size());
        state.put("processesScanned", report.processScan() == null ? null : report.processScan().processesScanned());
        state.put("processMismatches", report.processScan() == null ? null : report.processScan().mismatches());
        return state;
    }

    /** Appends one event to the host's timeline. */
    void appendEvent(long hostId, HostEventKind kind, Map<String, @Nullable Object> detail) {
        jdbc.sql("INSERT INTO host_events (host_id, kind, detail) VALUES (:hostId, :kind, CAST(:detail AS jsonb))")
                .param("hostId", hostId)
                .param("kind", kind.name())
                .param("detail", json.writeValueAsString(detail))
                .update();
    }

    /** The image a host reported last. */
    Optional<String> currentImage(long hostId) {
        return jdbc.sql("SELECT image_sha256 FROM hosts WHERE id = :id")
                .param("id", hostId)
                .query(String.class)
                .optional();
    }
}
