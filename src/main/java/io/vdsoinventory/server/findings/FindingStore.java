package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.AfterCommit;
import io.vdsoinventory.server.HostTimeline;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.HostEventKind;
import io.vdsoinventory.server.webhooks.WebhookOutbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writes of findings. Opening and resolving also append to the host's timeline; opening a finding of a
 * posted severity writes its webhook deliveries to the outbox in the same transaction.
 */
@Repository
public class FindingStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final HostTimeline timeline;
    private final FindingMetrics metrics;
    private final WebhookOutbox outbox;

    FindingStore(JdbcClient jdbc, JsonMapper json, HostTimeline timeline, FindingMetrics metrics,
            WebhookOutbox outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.timeline = timeline;
        this.metrics = metrics;
        this.outbox = outbox;
    }

    /** A finding that is not resolved (open or suppressed). */
    public record Live(long id, FindingKind kind, String subject, FindingStatus status) {
    }

    public List<Live> live(long hostId) {
        return jdbc.sql("SELECT id, kind, subject, status FROM findings WHERE host_id = :hostId AND status <> 'RESOLVED'")
                .param("hostId", hostId)
                .query((rs, row) -> new Live(rs.getLong("id"), FindingKind.valueOf(rs.getString("kind")),
                        rs.getString("subject"), FindingStatus.valueOf(rs.getString("status"))))
                .list();
    }

    /** Opens the finding unless one of the same (host, kind, subject) is open or suppressed; its id if opened. */
    public Optional<Long> open(long hostId, FindingKind kind, String subject, Map<String, @Nullable Object> evidence) {
        Optional<Long> id = jdbc.sql("""
                INSERT INTO findings (host_id, kind, severity, status, subject, evidence)
                VALUES (:hostId, :kind, :severity, 'OPEN', :subject, CAST(:evidence AS jsonb))
                ON CONFLICT (host_id, kind, subject) WHERE status <> 'RESOLVED' DO NOTHING
                RETURNING id
                """)
                .param("hostId", hostId)
                .param("kind", kind.name())
                .param("severity", kind.severity().name())
                .param("subject", subject)
                .param("evidence", json.writeValueAsString(evidence))
                .query(Long.class)
                .optional();
        id.ifPresent(findingId -> {
            Map<String, @Nullable Object> detail = detail(findingId, kind, subject);
            timeline.append(hostId, HostEventKind.FINDING_OPENED, detail);
            outbox.opened(hostId, findingId, kind, subject, evidence);
            AfterCommit.run(() -> metrics.opened(kind));
        });
        return id;
    }

    /** Replaces the evidence of a live finding when it differs (the condition holds, on other processes say). */
    public void refreshEvidence(Live finding, Map<String, @Nullable Object> evidence) {
        jdbc.sql("""
                UPDATE findings SET evidence = CAST(:evidence AS jsonb), updated_at = now()
                WHERE id = :id AND evidence IS DISTINCT FROM CAST(:evidence AS jsonb)
                """)
                .param("id", finding.id())
                .param("evidence", json.writeValueAsString(evidence))
                .update();
    }

    /** Resolves a live finding because its condition cleared ({@code why}); false when it was already resolved. */
    public boolean resolve(long hostId, Live finding, String why) {
        int updated = jdbc.sql("""
                UPDATE findings SET status = 'RESOLVED', resolved_at = now(), updated_at = now()
                WHERE id = :id AND status <> 'RESOLVED'
                """)
                .param("id", finding.id())
                .update();
        if (updated == 1) {
            Map<String, @Nullable Object> detail = detail(finding.id(), finding.kind(), finding.subject());
            detail.put("reason", why);
            timeline.append(hostId, HostEventKind.FINDING_RESOLVED, detail);
        }
        return updated == 1;
    }

    /** Suppresses an open finding, recording who and why; the host of the finding when it was open. */
    public Optional<Long> suppress(long findingId, String by, String reason) {
        Optional<Live> suppressed = jdbc.sql("""
                UPDATE findings SET status = 'SUPPRESSED', suppressed_by = :by, suppressed_at = now(),
                                    suppress_reason = :reason, updated_at = now()
                WHERE id = :id AND status = 'OPEN'
                RETURNING host_id, kind, subject
                """)
                .param("id", findingId)
                .param("by", by)
                .param("reason", reason)
                .query((rs, row) -> new Live(rs.getLong("host_id"), FindingKind.valueOf(rs.getString("kind")),
                        rs.getString("subject"), FindingStatus.SUPPRESSED))
                .optional();
        suppressed.ifPresent(f -> {
            Map<String, @Nullable Object> detail = detail(findingId, f.kind(), f.subject());
            detail.put("by", by);
            detail.put("reason", reason);
            timeline.append(f.id(), HostEventKind.FINDING_SUPPRESSED, detail);
        });
        return suppressed.map(Live::id);
    }

    private static Map<String, @Nullable Object> detail(long findingId, FindingKind kind, String subject) {
        Map<String, @Nullable Object> detail = new LinkedHashMap<>();
        detail.put("findingId", findingId);
        detail.put("kind", kind.name());
        detail.put("severity", kind.severity().name());
        detail.put("subject", subject);
        return detail;
    }
}
