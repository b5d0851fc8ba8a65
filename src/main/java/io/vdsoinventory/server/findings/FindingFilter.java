package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;

/**
 * The filters of {@code GET /findings}, bound from the query string; present ones combine with AND.
 *
 * @param kind the finding kind
 * @param severity the severity
 * @param minSeverity at least this severity
 * @param status open, resolved or suppressed
 * @param host the host id
 * @param since opened at or after this instant
 */
record FindingFilter(
        @Nullable FindingKind kind,
        @Nullable Severity severity,
        @Nullable Severity minSeverity,
        @Nullable FindingStatus status,
        @Nullable Long host,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant since) {

    /** The SQL conditions (on {@code findings f}) and their named parameters. */
    record Sql(String where, Map<String, Object> params) {
    }

    Sql toSql() {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (kind != null) {
            conditions.add("f.kind = :kind");
            params.put("kind", kind.name());
        }
        if (severity != null) {
            conditions.add("f.severity = :severity");
            params.put("severity", severity.name());
        }
        if (minSeverity != null) {
            conditions.add("f.severity_rank >= :minRank");
            params.put("minRank", minSeverity.rank());
        }
        if (status != null) {
            conditions.add("f.status = :status");
            params.put("status", status.name());
        }
        if (host != null) {
            conditions.add("f.host_id = :host");
            params.put("host", host);
        }
        if (since != null) {
            conditions.add("f.opened_at >= :since");
            params.put("since", java.sql.Timestamp.from(since));
        }
        return new Sql(conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions), params);
    }
}
