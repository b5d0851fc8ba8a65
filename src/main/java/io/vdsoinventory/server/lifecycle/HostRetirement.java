package io.vdsoinventory.server.lifecycle;

import io.vdsoinventory.server.HostTimeline;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.findings.FindingStore;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.HostEnrolled;
import io.vdsoinventory.server.fleet.HostEventKind;
import io.vdsoinventory.server.security.CredentialRepository;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Retiring a host and its return: the writes of {@code host_retirements}, each with its timeline event. */
@Service
class HostRetirement {

    private final JdbcClient jdbc;
    private final CredentialRepository credentials;
    private final FindingStore findings;
    private final HostTimeline timeline;
    private final TransactionTemplate transaction;

    HostRetirement(JdbcClient jdbc, CredentialRepository credentials, FindingStore findings, HostTimeline timeline,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.credentials = credentials;
        this.findings = findings;
        this.timeline = timeline;
        this.transaction = transaction;
    }

    /** A retirement as the API shows it (openapi.yaml {@code Retirement}). */
    record Retirement(long hostId, Instant retiredAt, String retiredBy, String reason) {
    }

    /** Retires the host, or answers 404 (no such host) or 409 (retired already); nothing is written then. */
    Retirement retire(long hostId, String by, String reason) {
        return Objects.requireNonNull(transaction.execute(status -> retireIfActive(hostId, by, reason, null)
                .orElseThrow(() -> exists(hostId)
                        ? ApiException.of(ProblemKind.CONFLICT, "Host " + hostId + " is retired already")
                        : ApiException.of(ProblemKind.NOT_FOUND, "No host with id " + hostId))));
    }

    /**
     * In the caller's transaction: retires the host unless it is retired, does not exist, or (given
     * {@code silentBefore}) reported since then. Its node key is
     * revoked, so its agent is refused (401) and, should it still run, enrols again, which brings the host back;
     * its HOST_SILENT finding resolves; its other findings stay, retiring is no verdict on them.
     */
    Optional<Retirement> retireIfActive(long hostId, String by, String reason, @Nullable Instant silentBefore) {
        Optional<Retirement> retired = jdbc.sql("""
                INSERT INTO host_retirements (host_id, retired_by, reason)
                SELECT id, :by, :reason FROM hosts
                WHERE id = :hostId AND (CAST(:silentBefore AS timestamptz) IS NULL OR last_seen < :silentBefore)
                ON CONFLICT (host_id) DO NOTHING
                RETURNING host_id, retired_at, retired_by, reason
                """)
                .param("hostId", hostId)
                .param("by", by)
                .param("reason", reason)
                .param("silentBefore", silentBefore == null ? null : Timestamp.from(silentBefore))
                .query((rs, row) -> new Retirement(rs.getLong("host_id"), rs.getTimestamp("retired_at").toInstant(),
                        rs.getString("retired_by"), rs.getString("reason")))
                .optional();
        retired.ifPresent(retirement -> {
            Map<String, @Nullable Object> detail = new LinkedHashMap<>();
            detail.put("by", by);
            detail.put("reason", reason);
            detail.put("nodeKeyRevoked", credentials.revokeNodeKeyOf(hostId));
            timeline.append(hostId, HostEventKind.RETIRED, detail);
            findings.live(hostId).stream().filter(finding -> finding.kind() == FindingKind.HOST_SILENT)
                    .forEach(silent -> findings.resolve(hostId, silent, "the host was retired"));
        });
        return retired;
    }

    /** A retired host that enrols again is active again, in the enrolment's transaction. */
    @EventListener
    void enrolled(HostEnrolled event) {
        if (event.created()) {
            return;
        }
        jdbc.sql("DELETE FROM host_retirements WHERE host_id = :hostId RETURNING retired_at, retired_by")
                .param("hostId", event.hostId())
                .query((rs, row) -> {
                    Map<String, @Nullable Object> detail = new LinkedHashMap<>();
                    detail.put("retiredAt", rs.getTimestamp("retired_at").toInstant().toString());
                    detail.put("retiredBy", rs.getString("retired_by"));
                    return detail;
                })
                .optional()
                .ifPresent(detail -> timeline.append(event.hostId(), HostEventKind.UNRETIRED, detail));
    }

    private boolean exists(long hostId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM hosts WHERE id = :hostId)").param("hostId", hostId)
                .query(Boolean.class).single();
    }
}
