package io.vdsoinventory.server.lifecycle;

import io.vdsoinventory.server.findings.FindingStore;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.HostEnrolled;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * HOST_KEY_CONFLICT: a host key enrolled again from another source address while the node key it replaces
 * reported within the window. One key per host (migration V8) means the replaced agent is refused and enrols
 * again in turn, so two live agents on one key keep conflicting, and the finding's evidence follows their latest
 * pair of enrolments. It resolves once the host key went a window without another enrolment: one agent reports.
 * Two agents behind one address (one machine, one NAT) are not told apart from one agent enrolling again.
 */
@Component
class KeyConflicts {

    private static final Logger log = LoggerFactory.getLogger(KeyConflicts.class);

    private final JdbcClient jdbc;
    private final FindingStore findings;
    private final TransactionTemplate transaction;
    private final Duration window;

    KeyConflicts(JdbcClient jdbc, FindingStore findings, TransactionTemplate transaction,
            LifecycleProperties properties) {
        this.jdbc = jdbc;
        this.findings = findings;
        this.transaction = transaction;
        this.window = properties.keyConflictWindow();
    }

    /** Opens the finding, or refreshes its evidence, in the enrolment's transaction. */
    @EventListener
    void enrolled(HostEnrolled event) {
        HostEnrolled.ReplacedKey replaced = event.replaced();
        Instant now = Instant.now();
        if (replaced == null || event.address() == null || event.address().equals(replaced.enrolledFrom())
                || !event.lastSeen().isAfter(replaced.enrolledAt()) || event.lastSeen().isBefore(now.minus(window))) {
            return;
        }
        Map<String, @Nullable Object> previous = new LinkedHashMap<>();
        previous.put("address", replaced.enrolledFrom());
        previous.put("enrolledAt", replaced.enrolledAt().toString());
        previous.put("lastReportAt", event.lastSeen().toString());
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("previous", previous);
        evidence.put("current", Map.of("address", event.address(), "enrolledAt", now.toString()));
        evidence.put("windowSeconds", window.toSeconds());
        if (findings.open(event.hostId(), FindingKind.HOST_KEY_CONFLICT, "", evidence).isEmpty()) {
            findings.live(event.hostId()).stream().filter(live -> live.kind() == FindingKind.HOST_KEY_CONFLICT)
                    .forEach(live -> findings.refreshEvidence(live, evidence));
        }
    }

    @Scheduled(initialDelayString = "${vdso.lifecycle.sweep-interval:1m}",
            fixedDelayString = "${vdso.lifecycle.sweep-interval:1m}")
    void scheduled() {
        try {
            resolveSettled();
        } catch (DataAccessException e) {
            log.warn("Resolving host key conflicts failed, retried at the next sweep: {}", e.getMessage());
        }
    }

    /** Resolves the conflicts of host keys not enrolled again for a window; how many it resolved. */
    int resolveSettled() {
        record Settled(long hostId, FindingStore.Live finding) {
        }
        List<Settled> settled = jdbc.sql("""
                SELECT f.host_id, f.id, f.status FROM findings f
                WHERE f.kind = 'HOST_KEY_CONFLICT' AND f.status <> 'RESOLVED'
                  AND NOT EXISTS (SELECT 1 FROM node_keys k WHERE k.host_id = f.host_id AND k.created_at >= :since)
                """)
                .param("since", Timestamp.from(Instant.now().minus(window)))
                .query((rs, row) -> new Settled(rs.getLong("host_id"), new FindingStore.Live(rs.getLong("id"),
                        FindingKind.HOST_KEY_CONFLICT, "", FindingStatus.valueOf(rs.getString("status")))))
                .list();
        int resolved = 0;
        for (Settled conflict : settled) {
            resolved += Objects.requireNonNull(transaction.execute(status -> findings.resolve(conflict.hostId(),
                    conflict.finding(), "no enrolment of the host key for " + window + ": one agent reports"))) ? 1 : 0;
        }
        return resolved;
    }
}
