package io.vdsoinventory.server.inventory;

import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.HostEventKind;
import io.vdsoinventory.server.fleet.ImageStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads of hosts and their timelines. */
@Repository
class HostQueries {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private static final String SELECT_HOSTS = """
            SELECT h.id, h.hostname, h.labels::text AS labels,
                   k.release AS kernel_release, k.version AS kernel_version, k.arch, k.build_id AS kernel_build_id,
                   h.boot_id,
                   encode(h.image_sha256, 'hex') AS image_sha256,
                   CASE WHEN i.status = 'ANALYZED' THEN i.normalized_sha256 ELSE h.reported_normalized_sha256 END
                       AS normalized_sha256,
                   CASE WHEN i.status = 'ANALYZED' THEN i.build_id ELSE h.reported_build_id END AS build_id,
                   coalesce(i.size, h.reported_size) AS size,
                   coalesce(i.status, 'PENDING') AS status, h.processes_scanned, h.process_mismatches,
                   h.processes_unreadable, h.processes_skipped, h.scan_privileged, h.scan_complete,
                   h.first_seen, h.last_seen, h.changed_at,
                   f.kinds AS finding_kinds, f.severities AS finding_severities,
                   r.retired_at, r.retired_by, r.reason AS retire_reason
            FROM hosts h LEFT JOIN kernels k ON k.id = h.kernel_id
            LEFT JOIN images i ON i.sha256 = encode(h.image_sha256, 'hex')
            LEFT JOIN host_retirements r ON r.host_id = h.id
            CROSS JOIN LATERAL (SELECT array_agg(o.kind ORDER BY o.id) AS kinds,
                                       array_agg(o.severity ORDER BY o.id) AS severities
                                FROM findings o WHERE o.host_id = h.id AND o.status = 'OPEN') f
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HostQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Up to {@code limit} hosts matching {@code filter} with ids above {@code afterId}, in id order, with their open
     * findings. One statement: the filter picks the page's ids alone (an index walk, no joins per candidate), then
     * only those rows are read by primary key.
     */
    List<HostView> page(HostFilter filter, long afterId, int limit) {
        HostFilter.Sql sql = filter.toSql(json);
        return jdbc.sql(SELECT_HOSTS + " WHERE h.id = ANY (ARRAY(SELECT h.id FROM hosts h WHERE " + sql.where()
                        + " AND h.id > :afterId ORDER BY h.id LIMIT :limit)) ORDER BY h.id")
                .params(sql.params())
                .param("afterId", afterId)
                .param("limit", limit)
                .query(this::host)
                .list();
    }

    Optional<HostView> find(long id) {
        return jdbc.sql(SELECT_HOSTS + " WHERE h.id = :id")
                .param("id", id)
                .query(this::host)
                .optional()
                .map(this::withProcesses);
    }

    /**
     * The host with the differing processes of the scan detection last judged ({@code host_detection}, written
     * when the list changes): one primary-key read, for the single-host view only.
     */
    private HostView withProcesses(HostView host) {
        HostView.ProcessScan scan = host.processScan();
        if (scan == null || scan.mismatches() == 0) {
            return host;
        }
        return jdbc.sql("SELECT process_scan::text FROM host_detection WHERE host_id = :id AND process_scan IS NOT NULL")
                .param("id", host.id())
                .query(String.class)
                .optional()
                .map(stored -> json.readValue(stored, ProcessScanSummary.class))
                .map(judged -> host.withProcessScan(scan.with(judged)))
                .orElse(host);
    }

    /** One entry of a host's timeline. */
    record Event(long id, Instant at, HostEventKind kind, Map<String, Object> detail) {
    }

    List<Event> events(long hostId, long afterId, int limit) {
        return jdbc.sql("""
                SELECT id, at, kind, detail::text AS detail FROM host_events
                WHERE host_id = :hostId AND id > :afterId ORDER BY id LIMIT :limit
                """)
                .param("hostId", hostId)
                .param("afterId", afterId)
                .param("limit", limit)
                .query((rs, row) -> new Event(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        HostEventKind.valueOf(rs.getString("kind")), json.readValue(rs.getString("detail"), DETAIL)))
                .list();
    }

    private static List<HostView.Finding> findings(ResultSet rs) throws SQLException {
        Array kinds = rs.getArray("finding_kinds");
        if (kinds == null) {
            return List.of();
        }
        String[] kind = (String[]) kinds.getArray();
        String[] severity = (String[]) rs.getArray("finding_severities").getArray();
        List<HostView.Finding> findings = new ArrayList<>(kind.length);
        for (int i = 0; i < kind.length; i++) {
            findings.add(new HostView.Finding(FindingKind.valueOf(kind[i]), Severity.valueOf(severity[i])));
        }
        return List.copyOf(findings);
    }

    private static HostView.@Nullable ProcessScan processScan(ResultSet rs) throws SQLException {
        Integer scanned = rs.getObject("processes_scanned", Integer.class);
        Integer mismatches = rs.getObject("process_mismatches", Integer.class);
        return scanned == null || mismatches == null ? null : new HostView.ProcessScan(scanned, mismatches,
                rs.getObject("processes_unreadable", Integer.class), rs.getObject("processes_skipped", Integer.class),
                rs.getObject("scan_privileged", Boolean.class), rs.getObject("scan_complete", Boolean.class),
                null, null, null, null);
    }

    private HostView host(ResultSet rs, int row) throws SQLException {
        String sha256 = rs.getString("image_sha256");
        HostView.Vdso vdso = sha256 == null ? null : new HostView.Vdso(sha256, rs.getString("normalized_sha256"),
                rs.getString("build_id"), rs.getObject("size", Integer.class),
                ImageStatus.valueOf(rs.getString("status")));
        return new HostView(rs.getLong("id"), rs.getString("hostname"), json.readValue(rs.getString("labels"), LABELS),
                new HostView.Kernel(rs.getString("kernel_release"), rs.getString("kernel_version"),
                        rs.getString("arch"), rs.getString("kernel_build_id"), rs.getString("boot_id")),
                vdso, processScan(rs), rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_seen").toInstant(),
                rs.getTimestamp("changed_at").toInstant(), findings(rs), retirement(rs));
    }

    private static HostView.@Nullable Retirement retirement(ResultSet rs) throws SQLException {
        java.sql.Timestamp at = rs.getTimestamp("retired_at");
        return at == null ? null
                : new HostView.Retirement(at.toInstant(), rs.getString("retired_by"), rs.getString("retire_reason"));
    }
}
