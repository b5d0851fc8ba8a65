package io.vdsoinventory.server.detection;

import io.vdsoinventory.server.fleet.HostReported;
import io.vdsoinventory.server.fleet.ImageStored;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the rules when ingest changed something. A report is judged right after its transaction committed: a
 * steady heartbeat whose host detection's record still matches costs nothing (ingest read that in the
 * report's own statement: {@link HostReported#detectionStale}); a changed host is evaluated in its own
 * transaction; a cohort whose baseline changed is re-evaluated afterwards, host by host in batches, bounded by
 * the cohort. A failed evaluation is logged and retried by the host's next report (it stays stale).
 */
@Service
public class DetectionService {

    private static final Logger log = LoggerFactory.getLogger(DetectionService.class);

    private final HostEvaluator evaluator;
    private final HostDetectionStore hosts;
    private final AgentEvidence agentEvidence;
    private final Cohorts cohorts;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final int batch;

    DetectionService(HostEvaluator evaluator, HostDetectionStore hosts, AgentEvidence agentEvidence, Cohorts cohorts,
            JdbcClient jdbc, JsonMapper json, TransactionTemplate transaction, DetectionProperties properties) {
        this.evaluator = evaluator;
        this.hosts = hosts;
        this.agentEvidence = agentEvidence;
        this.cohorts = cohorts;
        this.jdbc = jdbc;
        this.json = json;
        this.transaction = transaction;
        this.batch = properties.cohortBatch();
    }

    @EventListener
    void reported(HostReported event) {
        try {
            AgentEvidence.Observed observed = agentEvidence.of(event);
            if (event.detectionStale() || hosts.evidenceChanged(event.hostId(), observed)) {
                reevaluate(evaluate(event.hostId(), observed));
            }
        } catch (DataAccessException e) {
            log.warn("Detection of host {} failed; its next report retries it: {}", event.hostId(), e.getMessage());
        }
    }

    @EventListener
    void imageStored(ImageStored event) {
        try {
            reevaluateHosts("SELECT id FROM hosts WHERE image_sha256 = decode(:value, 'hex') AND id > :after "
                    + "ORDER BY id LIMIT :limit", event.sha256());
        } catch (DataAccessException e) {
            log.warn("Detection of the hosts running {} failed; their next reports retry it: {}", event.sha256(),
                    e.getMessage());
        }
    }

    /** Evaluates each host in its own transaction, from its stored state; the cohorts whose baseline changed. */
    Set<Cohort> evaluate(Collection<Long> hostIds) {
        Set<Cohort> changed = new LinkedHashSet<>();
        for (long hostId : hostIds) {
            changed.addAll(evaluate(hostId, AgentEvidence.Observed.NONE));
        }
        return changed;
    }

    private List<Cohort> evaluate(long hostId, AgentEvidence.Observed reported) {
        return Objects.requireNonNull(transaction.execute(status -> evaluator.evaluate(hostId, reported)));
    }

    /**
     * Re-evaluates the hosts of each cohort whose verdict may differ under its new baseline, in batches; a
     * re-evaluation that changes another cohort's baseline queues that cohort too (each at most once per call).
     */
    void reevaluate(Collection<Cohort> changed) {
        Deque<Cohort> queue = new ArrayDeque<>(changed);
        Set<Cohort> done = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            Cohort cohort = queue.poll();
            if (!done.add(cohort)) {
                continue;
            }
            List<String> accepted = Objects.requireNonNull(
                    transaction.execute(status -> cohorts.baseline(cohort))).accepted();
            long after = 0;
            List<Long> hosts;
            do {
                hosts = cohorts.affected(cohort, accepted, after, batch);
                List<Cohort> more = new ArrayList<>(evaluate(hosts));
                more.removeAll(done);
                queue.addAll(more);
                after = hosts.isEmpty() ? after : hosts.get(hosts.size() - 1);
            } while (hosts.size() == batch);
        }
    }

    /** Re-evaluates after an admin trusted or blocked an image: the cohorts it concerns, every host running it. */
    public void reevaluateImage(String normalizedSha256, @Nullable String buildId) {
        reevaluateImage(normalizedSha256, buildId, List.of());
    }

    /** Re-evaluates after an admin imported a reference image: as for a trust decision, and the kernel's cohort. */
    public void reevaluateReference(String normalizedSha256, @Nullable String buildId, String kernelRelease,
            String kernelVersion, String arch) {
        reevaluateImage(normalizedSha256, buildId,
                List.of(Cohort.kernel(json, new Cohort.KernelIdentity(kernelRelease, kernelVersion, arch))));
    }

    private void reevaluateImage(String normalizedSha256, @Nullable String buildId, List<Cohort> extra) {
        List<Cohort> concerned = new ArrayList<>(cohorts.concerning(normalizedSha256, buildId));
        extra.stream().filter(cohort -> !concerned.contains(cohort)).forEach(concerned::add);
        reevaluate(concerned);
        reevaluateHosts("""
                SELECT h.id FROM images i JOIN hosts h ON h.image_sha256 = decode(i.sha256, 'hex')
                WHERE i.normalized_sha256 = :value AND h.id > :after ORDER BY h.id LIMIT :limit
                """, normalizedSha256);
    }

    /**
     * Evaluates, a batch at a time in id order, the hosts that {@code sql} selects with {@code :value} (after
     * {@code :after}, at most {@code :limit}), and re-evaluates the cohorts that changed after each batch.
     */
    private void reevaluateHosts(String sql, String value) {
        long after = 0;
        List<Long> hosts;
        do {
            hosts = jdbc.sql(sql)
                    .param("value", value)
                    .param("after", after)
                    .param("limit", batch)
                    .query(Long.class)
                    .list();
            reevaluate(evaluate(hosts));
            after = hosts.isEmpty() ? after : hosts.get(hosts.size() - 1);
        } while (hosts.size() == batch);
    }
}
