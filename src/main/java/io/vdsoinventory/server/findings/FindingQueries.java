package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.Cursor;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads of findings. */
@Repository
class FindingQueries {

    private static final TypeReference<Map<String, Object>> EVIDENCE = new TypeReference<>() {
    };
    private static final String SELECT = """
            SELECT f.id, f.host_id, h.hostname, f.kind, f.severity, f.status, f.subject, f.evidence::text AS evidence,
                   f.opened_at, f.updated_at, f.resolved_at, f.suppressed_by, f.suppressed_at, f.suppress_reason
            FROM findings f JOIN hosts h ON h.id = f.host_id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FindingQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Where a page of findings starts: after the finding with this severity, opening time and id, in the order of
     * {@link #page}. Every part is immutable, so paging never repeats nor skips a finding.
     */
    record Key(Severity severity, Instant openedAt, long id) {

        static Key of(FindingView finding) {
            return new Key(finding.severity(), finding.openedAt(), finding.id());
        }

        String encode() {
            return severity + " " + openedAt + " " + id;
        }

        /** The key of a cursor this service issued; null for the first page. */
        static @Nullable Key decode(@Nullable String cursor) {
            String key = Cursor.decode(cursor);
            if (key.isEmpty()) {
                return null;
            }
            String[] parts = key.split(" ", -1);
            try {
                if (parts.length == 3) {
                    return new Key(Severity.valueOf(parts[0]), Instant.parse(parts[1]), Long.parseLong(parts[2]));
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // refused below
            }
            throw ApiException.badParameter("cursor", "'" + cursor + "' is not a cursor this service issued");
        }
    }

    /**
     * Up to {@code limit} findings matching {@code filter} after {@code after}: the most severe first, then the
     * most recently opened, then the highest id (a walk of the index {@code findings_by_severity}).
     */
    List<FindingView> page(FindingFilter filter, @Nullable Key after, int limit) {
        FindingFilter.Sql sql = filter.toSql();
        String start = after == null ? "" : " AND (f.severity_rank, f.opened_at, f.id) < (:rank, :openedAt, :id)";
        var statement = jdbc.sql(SELECT + " WHERE " + sql.where() + start
                        + " ORDER BY f.severity_rank DESC, f.opened_at DESC, f.id DESC LIMIT :limit")
                .params(sql.params())
                .param("limit", limit);
        if (after != null) {
            statement = statement.param("rank", after.severity().rank())
                    .param("openedAt", Timestamp.from(after.openedAt()))
                    .param("id", after.id());
        }
        return statement.query(this::finding).list();
    }

    Optional<FindingView> find(long id) {
        return jdbc.sql(SELECT + " WHERE f.id = :id").param("id", id).query(this::finding).optional();
    }

    private FindingView finding(ResultSet rs, int row) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        Timestamp suppressed = rs.getTimestamp("suppressed_at");
        return new FindingView(rs.getLong("id"), rs.getLong("host_id"), rs.getString("hostname"),
                FindingKind.valueOf(rs.getString("kind")), Severity.valueOf(rs.getString("severity")),
                FindingStatus.valueOf(rs.getString("status")), rs.getString("subject"),
                json.readValue(rs.getString("evidence"), EVIDENCE), rs.getTimestamp("opened_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), resolved == null ? null : resolved.toInstant(),
                suppressed == null ? null : new FindingView.Suppression(rs.getString("suppressed_by"),
                        suppressed.toInstant(), rs.getString("suppress_reason")));
    }
}
