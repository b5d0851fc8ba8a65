package io.vdsoinventory.server.lifecycle;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The automatic retirement ({@code vdso.lifecycle.retire-after}, off by default): hosts that have not reported
 * for that long are retired as an admin would retire them, by "automatic retirement". Replicas may sweep at once:
 * a host retired already is skipped.
 */
@Component
class RetirementSweep {

    static final String BY = "automatic retirement (vdso.lifecycle.retire-after)";

    private static final Logger log = LoggerFactory.getLogger(RetirementSweep.class);

    private final JdbcClient jdbc;
    private final HostRetirement retirement;
    private final TransactionTemplate transaction;
    private final @Nullable Duration retireAfter;

    RetirementSweep(JdbcClient jdbc, HostRetirement retirement, TransactionTemplate transaction,
            LifecycleProperties properties) {
        this.jdbc = jdbc;
        this.retirement = retirement;
        this.transaction = transaction;
        this.retireAfter = properties.retireAfter();
    }

    @Scheduled(initialDelayString = "${vdso.lifecycle.sweep-interval:1m}",
            fixedDelayString = "${vdso.lifecycle.sweep-interval:1m}")
    void scheduled() {
        if (retireAfter == null) {
            return;
        }
        try {
            sweep(retireAfter);
        } catch (DataAccessException e) {
            log.warn("Automatic retirement failed, retried at the next sweep: {}", e.getMessage());
        }
    }

    /** Retires every active host silent for longer than {@code silentFor}; how many it retired. */
    int sweep(Duration silentFor) {
        record Silent(long hostId, Instant lastSeen) {
        }
        Instant before = Instant.now().minus(silentFor);
        // a scan of hosts, as the silence sweep's: indexing last_seen would tax every heartbeat instead
        List<Silent> silent = jdbc.sql("""
                SELECT h.id, h.last_seen FROM hosts h
                WHERE h.last_seen < :before AND NOT EXISTS (SELECT 1 FROM host_retirements r WHERE r.host_id = h.id)
                """)
                .param("before", Timestamp.from(before))
                .query((rs, row) -> new Silent(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .list();
        int retired = 0;
        for (Silent host : silent) {
            String reason = "no report since " + host.lastSeen() + ", longer than " + silentFor;
            // a host that reported since the scan stays active
            retired += Objects.requireNonNull(transaction.execute(status ->
                    retirement.retireIfActive(host.hostId(), BY, reason, before))).isPresent() ? 1 : 0;
        }
        return retired;
    }
}
