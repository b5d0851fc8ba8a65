package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Up to {@code limit} findings matching {@code filter} with ids above {@code afterId}, in id order. */
    List<FindingView> page(FindingFilter filter, long afterId, int limit) {
        FindingFilter.Sql sql = filter.toSql();
        return jdbc.sql(SELECT + " WHERE " + sql.where() + " AND f.id > :afterId ORDER BY f.id LIMIT :limit")
                .params(sql.params())
                .param("afterId", afterId)
                .param("limit", limit)
                .query(this::finding)
                .list();
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
