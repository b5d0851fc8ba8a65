package io.vdsoinventory.server.security;

import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.server.HostTimeline;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.fleet.HostEnrolled;
import io.vdsoinventory.server.fleet.HostEventKind;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enrolment: the enroll secret exchanged for the node key of a host, the host registered by its host key (an
 * agent's stable identity) with ENROLLED or REENROLLED on its timeline, in one transaction, which also holds what
 * the listeners of {@link HostEnrolled} write (a retired host's return).
 */
@Service
public class Enrollment {

    private final Secrets secrets;
    private final AuthFailures failures;
    private final CredentialRepository credentials;
    private final JdbcClient jdbc;
    private final HostTimeline timeline;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;

    Enrollment(Secrets secrets, AuthFailures failures, CredentialRepository credentials, JdbcClient jdbc,
            HostTimeline timeline, TransactionTemplate transaction, ApplicationEventPublisher events) {
        this.secrets = secrets;
        this.failures = failures;
        this.credentials = credentials;
        this.jdbc = jdbc;
        this.timeline = timeline;
        this.transaction = transaction;
        this.events = events;
    }

    /**
     * Exchanges the enroll secret for a new node key of the host with the request's host key, which replaces the key
     * the host had: enrolling again retires the old key. A source {@code address} with too many failed
     * authentications is refused (429) without its secret being compared.
     */
    EnrollResponse enroll(EnrollRequest request, String address) {
        failures.throttled(address).ifPresent(wait -> {
            throw ApiException.authThrottled(wait);
        });
        if (!secrets.isEnrollSecret(request.enrollSecret())) {
            failures.failed(address);
            throw ApiException.of(ProblemKind.UNAUTHORIZED, "The enroll secret is wrong");
        }
        String nodeKey = Tokens.generate("vdso_node_");
        long hostId = Objects.requireNonNull(transaction.execute(status -> {
            Registered host = register(request.hostKey(), request.hostname());
            HostEnrolled.ReplacedKey replaced = credentials.replaceNodeKey(host.id(), nodeKey, address).orElse(null);
            events.publishEvent(new HostEnrolled(host.id(), host.created(), address, host.lastSeen(), replaced));
            return host.id();
        }));
        return new EnrollResponse(hostId, nodeKey);
    }

    /** The host record of an in-process agent, which needs neither the enroll secret nor a node key. */
    public long registerInProcess(String hostKey, String hostname) {
        return Objects.requireNonNull(transaction.execute(status -> {
            Registered host = register(hostKey, hostname);
            events.publishEvent(new HostEnrolled(host.id(), host.created(), null, host.lastSeen(), null));
            return host.id();
        }));
    }

    private record Registered(long id, boolean created, Instant lastSeen) {
    }

    private Registered register(String hostKey, String hostname) {
        Registered host = jdbc.sql("""
                INSERT INTO hosts (host_key, hostname) VALUES (:hostKey, :hostname)
                ON CONFLICT (host_key) DO UPDATE SET hostname = EXCLUDED.hostname
                RETURNING id, (xmax = 0) AS created, last_seen
                """)
                .param("hostKey", hostKey)
                .param("hostname", hostname)
                .query((rs, row) -> new Registered(rs.getLong("id"), rs.getBoolean("created"),
                        rs.getTimestamp("last_seen").toInstant()))
                .single();
        timeline.append(host.id(), host.created() ? HostEventKind.ENROLLED : HostEventKind.REENROLLED,
                Map.of("hostname", hostname));
        return host;
    }
}
