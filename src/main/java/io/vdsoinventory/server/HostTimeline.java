package io.vdsoinventory.server;

import io.vdsoinventory.server.fleet.HostEventKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * A host's timeline ({@code host_events}), append-only, in the caller's transaction: enrolment, ingest and
 * findings each record what happened to a host here, and admin decisions on every host they concern.
 */
@Repository
public class HostTimeline {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HostTimeline(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Appends one event at the time of the transaction. */
    public void append(long hostId, HostEventKind kind, Map<String, ? extends @Nullable Object> detail) {
        append(hostId, null, kind, detail);
    }

    /** Appends one event at {@code at}; null: the time of the transaction. */
    public void append(long hostId, @Nullable Instant at, HostEventKind kind,
            Map<String, ? extends @Nullable Object> detail) {
        jdbc.sql("""
                INSERT INTO host_events (host_id, at, kind, detail)
                VALUES (:hostId, COALESCE(CAST(:at AS timestamptz), now()), :kind, CAST(:detail AS jsonb))
                """)
                .param("hostId", hostId)
                .param("at", at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param("kind", kind.name())
                .param("detail", json.writeValueAsString(detail))
                .update();
    }

    /**
     * Appends one event, at the time of the transaction, to every host whose current image has
     * {@code normalizedSha256} (any CPU variant of one build): one statement, whatever the number of hosts.
     */
    public void appendForImage(String normalizedSha256, HostEventKind kind, Map<String, ? extends @Nullable Object> detail) {
        jdbc.sql("""
                INSERT INTO host_events (host_id, kind, detail)
                SELECT h.id, :kind, CAST(:detail AS jsonb) FROM images i
                JOIN hosts h ON h.image_sha256 = decode(i.sha256, 'hex')
                WHERE i.normalized_sha256 = :normalized
                """)
                .param("normalized", normalizedSha256)
                .param("kind", kind.name())
                .param("detail", json.writeValueAsString(detail))
                .update();
    }
}
