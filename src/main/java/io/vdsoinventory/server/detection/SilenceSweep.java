package io.vdsoinventory.server.detection;

import io.vdsoinventory.server.findings.FindingStore;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduled half of detection, off the report path: opens HOST_SILENT for hosts past their report deadline
 * (their next report resolves it; retired hosts are not expected to report) and resolves KERNEL_DRIFT findings older than the drift window. Replicas may
 * sweep at once: the unique live-finding index makes a second opening a no-op.
 */
@Component
class SilenceSweep {

    private static final Logger log = LoggerFactory.getLogger(SilenceSweep.class);

    private final JdbcClient jdbc;
    private final FindingStore findings;
    private final TransactionTemplate transaction;
    private final Duration silentAfter;
    private final Duration driftWindow;

    SilenceSweep(JdbcClient jdbc, FindingStore findings, TransactionTemplate transaction,
            DetectionProperties properties) {
        this.jdbc = jdbc;
        this.findings = findings;
        this.transaction = transaction;
        this.silentAfter = properties.silentAfter();
        this.driftWindow = properties.driftWindow();
    }

    @Scheduled(initialDelayString = "${vdso.detection.sweep-interval:30s}",
            fixedDelayString = "${vdso.detection.sweep-interval:30s}")
    void scheduled() {
        try {
            sweep();
        } catch (DataAccessException e) {
            log.warn("Detection sweep failed, retried at the next one: {}", e.getMessage());
        }
    }

    /** One sweep; the number of findings opened or resolved. */
    int sweep() {
        record Silent(long hostId, java.sql.Timestamp lastSeen) {
        }
        // a scan of hosts, once per sweep: indexing last_seen would tax every heartbeat's update instead
        List<Silent> silent = jdbc.sql("""
                SELECT h.id, h.last_seen FROM hosts h
                WHERE h.kernel_id IS NOT NULL AND h.last_seen < now() - make_interval(secs => :seconds)
                  AND NOT EXISTS (SELECT 1 FROM host_retirements r WHERE r.host_id = h.id)
                  AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.host_id = h.id AND f.kind = 'HOST_SILENT'
                                  AND f.status <> 'RESOLVED')
                """)
                .param("seconds", silentAfter.toSeconds())
                .query((rs, row) -> new Silent(rs.getLong(1), rs.getTimestamp(2)))
                .list();
        int changed = 0;
        for (Silent host : silent) {
            Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
            evidence.put("lastSeen", host.lastSeen().toInstant().toString());
            evidence.put("silentAfterSeconds", silentAfter.toSeconds());
            boolean opened = Objects.requireNonNull(transaction.execute(status ->
                    findings.open(host.hostId(), FindingKind.HOST_SILENT, "", evidence))).isPresent();
            changed += opened ? 1 : 0;
        }
        record Expired(long hostId, FindingStore.Live finding) {
        }
        List<Expired> expired = jdbc.sql("""
                SELECT host_id, id, subject, status FROM findings
                WHERE kind = 'KERNEL_DRIFT' AND status <> 'RESOLVED' AND opened_at < now() - make_interval(secs => :seconds)
                """)
                .param("seconds", driftWindow.toSeconds())
                .query((rs, row) -> new Expired(rs.getLong("host_id"), new FindingStore.Live(rs.getLong("id"),
                        FindingKind.KERNEL_DRIFT, rs.getString("subject"), FindingStatus.valueOf(rs.getString("status")))))
                .list();
        for (Expired drift : expired) {
            transaction.executeWithoutResult(status -> findings.resolve(drift.hostId(), drift.finding(),
                    "older than the drift window"));
        }
        return changed + expired.size();
    }
}
