package io.vdsoinventory.agent.daemon;

import io.vdsoinventory.agent.CommandFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's schedule, on one thread: observe every {@code checkEvery} (cheap: a few /proc reads and a hash of a
 * few pages), spool a change at once, report a heartbeat when {@link HeartbeatInterval} says, and drain the spool
 * whenever it holds something and the backoff allows. A heartbeat with nothing ahead of it goes straight to the
 * service and is spooled only when that fails, so a steady host writes nothing to disk. Every step finishes before
 * a stop request is honoured.
 */
public final class AgentLoop {

    private final HostObserver observer;
    private final Spool spool;
    private final Delivery delivery;
    private final Map<String, String> labels;
    private final HeartbeatInterval heartbeats;
    private final Duration checkEvery;
    private final EventLog log;
    private Observation last;
    private String lastFailure;
    private Instant retryAt = Instant.now();

    public AgentLoop(HostObserver observer, Spool spool, Delivery delivery, Map<String, String> labels,
            HeartbeatInterval heartbeats, Duration checkEvery, EventLog log) {
        this.observer = observer;
        this.spool = spool;
        this.delivery = delivery;
        this.labels = labels;
        this.heartbeats = heartbeats;
        this.checkEvery = checkEvery;
        this.log = log;
    }

    /** Runs until {@code stop} is counted down; returns after the step in progress. */
    public void run(CountDownLatch stop) throws IOException, InterruptedException {
        Instant nextCheck = Instant.now();
        while (stop.getCount() > 0) {
            Instant now = Instant.now();
            boolean heartbeatDue = !now.isBefore(heartbeats.due());
            if (heartbeatDue || !now.isBefore(nextCheck)) {
                observe(heartbeatDue, now);
                nextCheck = now.plus(checkEvery);
            }
            if (spool.size() > 0 && !Instant.now().isBefore(retryAt)) {
                retryAt = delivery.drain(spool, last).map(Instant.now()::plus).orElse(Instant.now());
            }
            // a heartbeat still due here could not be observed: it is tried again at the next check
            Instant due = heartbeats.due();
            Instant wake = due.isBefore(nextCheck) && due.isAfter(now) ? due : nextCheck;
            if (spool.size() > 0 && retryAt.isBefore(wake)) {
                wake = retryAt;
            }
            long millis = Math.max(1, Duration.between(Instant.now(), wake).toMillis());
            stop.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Observes and reports a change, or a heartbeat when one is due. */
    private void observe(boolean heartbeatDue, Instant now) throws IOException {
        Observation seen;
        try {
            seen = observer.observe();
        } catch (CommandFailure e) {
            if (!e.getMessage().equals(lastFailure)) {
                log.event("cannot observe the host: " + e.getMessage());
                lastFailure = e.getMessage();
            }
            return;
        }
        lastFailure = null;
        Spool.Kind kind;
        if (last == null) {
            log.event("observing kernel " + seen.kernel().release() + ", image "
                    + (seen.vdso() == null ? "none" : seen.vdso().sha256()));
            kind = Spool.Kind.CHANGE;
        } else if (!seen.fingerprint().equals(last.fingerprint())) {
            log.event("change detected: " + seen.changeFrom(last));
            kind = Spool.Kind.CHANGE;
        } else if (heartbeatDue) {
            kind = Spool.Kind.HEARTBEAT;
        } else {
            last = seen;
            return;
        }
        last = seen;
        heartbeats.reported(now);
        Delivery.SpooledReport report = new Delivery.SpooledReport(seen.report(labels),
                kind == Spool.Kind.CHANGE ? seen.image() : null);
        if (kind == Spool.Kind.HEARTBEAT && spool.size() == 0 && spool.pendingDrops().isNone()
                && !now.isBefore(retryAt)) {
            Optional<Duration> unavailable = delivery.deliverAtOnce(report, seen);
            if (unavailable.isEmpty()) {
                return;
            }
            retryAt = Instant.now().plus(unavailable.get());
        }
        boolean firstDrop = spool.pendingDrops().isNone();
        if (!spool.offer(kind, Delivery.encode(report)) && firstDrop) {
            log.event("spool full (" + spool.bytes() + " bytes): dropped a " + kind.name().toLowerCase()
                    + " observation; further drops are counted and reported");
        }
        if (kind == Spool.Kind.CHANGE) {
            retryAt = now; // a change goes out at once
        }
    }
}
