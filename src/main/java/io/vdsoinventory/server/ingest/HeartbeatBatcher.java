package io.vdsoinventory.server.ingest;

import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.server.VdsoProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Group commit of steady heartbeats: concurrent callers queue their heartbeat and wait while a writer thread
 * applies everything queued so far (at most {@value #MAX_BATCH} rows) as one autocommitted statement of
 * {@link HostWriter#updateIfSteady}, so a thousand heartbeats a second cost a few statements and commits each.
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

    private record Pending(Heartbeat heartbeat, CompletableFuture<Optional<HostWriter.Steady>> answer) {
    }

    private final HostWriter hosts;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();

    HeartbeatBatcher(HostWriter hosts, VdsoProperties properties) {
        this.hosts = hosts;
        this.queue = new ArrayBlockingQueue<>(properties.ingest().maxConcurrent());
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::write, "heartbeat-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /**
     * Applies {@code report} of {@code hostId} if it is steady (see {@link HostWriter#updateIfSteady}); empty when
     * it is not and nothing was written. Blocks until its batch is committed.
     */
    Optional<HostWriter.Steady> apply(long hostId, int kernelId, ReportRequest report) {
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
                List<Optional<HostWriter.Steady>> answers = hosts.updateIfSteady(
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
    }
}
