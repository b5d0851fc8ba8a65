package io.vdsoinventory.server.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.server.detection.NeedsEvaluation;
import io.vdsoinventory.server.VdsoProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Group commit of steady heartbeats: concurrent callers queue their heartbeat and wait while a writer thread
 * applies everything queued so far (at most {@value #MAX_BATCH} rows) as one autocommitted statement of
 * {@link #updateIfSteady} on connections of its own, so a thousand heartbeats a second cost a few statements and
 * commits each.
 * Every caller gets its own row's answer; a failed statement fails the callers of that batch only.
 *
 * <p>The queue holds {@code vdso.ingest.max-concurrent} heartbeats: callers hold an {@link IngestLimiter} slot
 * while queued, so saturation is answered 429 by the limiter and the queue is never full.
 */
@Component
class HeartbeatBatcher implements DisposableBean {

    /** Rows of one statement: large enough to absorb a burst, small enough to keep the statement quick. */
    static final int MAX_BATCH = 256;

    /** Writers: one statement runs while the next batch collects. */
    static final int WRITERS = 2;

    /** One host's steady heartbeat; {@code kernelId} names its kernel ({@link KernelIds}). */
    record Heartbeat(long hostId, int kernelId, ReportRequest report) {
    }

    private record Pending(Heartbeat heartbeat, CompletableFuture<Optional<Steady>> answer) {
    }

    private final JsonMapper json;
    /** The connections of {@link #updateIfSteady}, see {@link #genericPlanPool}; null: the shared pool's. */
    private final @Nullable HikariDataSource steadyPool;
    private final JdbcClient steadyJdbc;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();

    HeartbeatBatcher(JdbcClient jdbc, DataSource dataSource, JsonMapper json, VdsoProperties properties) {
        this.json = json;
        this.steadyPool = genericPlanPool(dataSource);
        this.steadyJdbc = steadyPool == null ? jdbc : JdbcClient.create(steadyPool);
        this.queue = new ArrayBlockingQueue<>(properties.ingest().maxConcurrent());
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::write, "heartbeat-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /**
     * A pool of its own for the steady-heartbeat statement, one connection per writer, whose
     * sessions always run its generic plan ({@code plan_cache_mode = force_generic_plan}). Left to choose,
     * PostgreSQL plans the statement anew for every batch (a custom plan for the batch's array lengths looks cheaper
     * than the generic one), and that planning was a third of its CPU per heartbeat (0.17 against 0.11 ms, measured
     * in the bench's ingest step); the plan's shape (the batch's rows, each by primary key) never depends on the
     * values. The shared pool keeps custom plans: the queries' plans do depend on their values. Null when the
     * service's DataSource is not HikariCP's (then the statement runs on the shared pool, as planned by default).
     */
    private static @Nullable HikariDataSource genericPlanPool(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource shared)) {
            return null;
        }
        HikariConfig config = new HikariConfig();
        shared.copyStateTo(config);
        config.setPoolName(shared.getPoolName() + "-heartbeats");
        config.setMaximumPoolSize(WRITERS);
        config.setMinimumIdle(0);
        config.setConnectionInitSql("SET plan_cache_mode = force_generic_plan");
        return new HikariDataSource(config);
    }

    /**
     * Applies {@code report} of {@code hostId} if it is steady (see {@link #updateIfSteady}); empty when
     * it is not and nothing was written. Blocks until its batch is committed.
     */
    Optional<Steady> apply(long hostId, int kernelId, ReportRequest report) {
        Pending pending = new Pending(new Heartbeat(hostId, kernelId, report), new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.answer().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the heartbeat of host " + hostId + " was written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What a steady heartbeat found: whether the reported image's bytes are stored, and detection's staleness. */
    record Steady(boolean imageStored, boolean detectionStale) {
    }

    /** The statement of {@link #updateIfSteady}, built once. */
    private static final String STEADY_UPDATE = """
            UPDATE hosts h SET
                %s,
                processes_scanned = u.processes_scanned,
                process_mismatches = u.process_mismatches, processes_unreadable = u.processes_unreadable,
                processes_skipped = u.processes_skipped, scan_privileged = u.scan_privileged,
                scan_complete = u.scan_complete, last_seen = now()
            FROM unnest(CAST(:id AS bigint[]), CAST(:reportId AS uuid[]), CAST(:hostname AS text[]),
                        CAST(:labels AS jsonb[]), CAST(:kernelId AS integer[]), CAST(:bootId AS text[]),
                        CAST(:sha256 AS text[]), CAST(:normalizedSha256 AS text[]), CAST(:buildId AS text[]),
                        CAST(:size AS integer[]), CAST(:processesScanned AS integer[]),
                        CAST(:processMismatches AS integer[]), CAST(:processesUnreadable AS integer[]),
                        CAST(:processesSkipped AS integer[]), CAST(:scanPrivileged AS boolean[]),
                        CAST(:scanComplete AS boolean[]))
                 WITH ORDINALITY AS u(id, report_id, hostname, labels, kernel_id, boot_id, sha256, normalized_sha256,
                                     build_id, size, processes_scanned, process_mismatches, processes_unreadable,
                                     processes_skipped, scan_privileged, scan_complete, n)
            WHERE h.id = u.id AND h.hostname = u.hostname AND h.kernel_id = u.kernel_id
              AND h.boot_id IS NOT DISTINCT FROM u.boot_id
              AND h.image_sha256 IS NOT DISTINCT FROM decode(u.sha256, 'hex')
              AND (u.labels IS NULL OR h.labels = u.labels)
              AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.report_id = u.report_id)
            RETURNING u.n, EXISTS (SELECT 1 FROM images i WHERE i.sha256 = u.sha256) AS stored,
            """.formatted(HostWriter.CLAIMS.formatted("u.normalized_sha256", "u.build_id", "u.size", "u.sha256"))
            + NeedsEvaluation.HOST_ROW + " AS stale";

    /**
     * Steady heartbeats, many hosts in one autocommitted statement: each report that would record no event (same
     * hostname, labels, kernel, boot and image as stored) and whose id is not remembered has its reported state
     * written under the row lock. The answer holds one element per heartbeat, in order: empty for a report not written (the
     * caller compares it in full), else what {@link Steady} tells. Saves the read of the state, the report-id
     * lookup, the separate update and, per heartbeat, a commit.
     */
    private List<Optional<Steady>> updateIfSteady(List<Heartbeat> heartbeats) {
        // every column travels as one text array, cast in SQL: one statement whatever the batch size
        Map<String, List<@Nullable String>> columns = new LinkedHashMap<>();
        for (Heartbeat heartbeat : heartbeats) {
            ReportRequest report = heartbeat.report();
            Map<String, @Nullable Object> row = HostWriter.reportedState(heartbeat.kernelId(), report);
            row.put("id", heartbeat.hostId());
            row.put("reportId", report.reportId());
            row.put("hostname", report.hostname());
            row.put("labels", report.labels() == null ? null : json.writeValueAsString(report.labels()));
            row.forEach((name, value) -> columns.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(value == null ? null : value.toString()));
        }
        JdbcClient.StatementSpec statement = steadyJdbc.sql(STEADY_UPDATE);
        for (Map.Entry<String, List<@Nullable String>> column : columns.entrySet()) {
            statement = statement.param(column.getKey(), column.getValue().toArray(new String[0]));
        }
        List<Optional<Steady>> answers = new ArrayList<>(Collections.nCopies(heartbeats.size(), Optional.empty()));
        statement.query((rs, row) -> answers.set(rs.getInt("n") - 1,
                Optional.of(new Steady(rs.getBoolean("stored"), rs.getBoolean("stale"))))).list();
        return answers;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            // host id order: two batches lock the rows they share in the same order
            batch.sort(Comparator.comparingLong(p -> p.heartbeat().hostId()));
            try {
                List<Optional<Steady>> answers = updateIfSteady(
                        batch.stream().map(Pending::heartbeat).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer().complete(answers.get(i));
                }
            } catch (RuntimeException e) {
                // whatever failed the statement is the answer of its callers; the writer goes on with the next batch
                batch.forEach(p -> p.answer().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        for (Thread writer : writers) {
            writer.interrupt();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        if (steadyPool != null) {
            steadyPool.close();
        }
    }
}
