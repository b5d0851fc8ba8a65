package io.vdsoinventory.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The daemon's schedule, on one thread: observe every {@code checkEvery} (cheap: a few /proc reads and a hash of a
 * few pages), spool a change at once, spool a heartbeat every {@code interval} (jittered by up to 10% either way so
 * that a fleet started together drifts apart), and drain the spool whenever it holds something and the backoff
 * allows. Every step finishes before a stop request is honoured.
 */
final class AgentLoop {

    private final HostObserver observer;
    private final Spool spool;
    private final Delivery delivery;
    private final Map<String, String> labels;
    private final Duration interval;
    private final Duration checkEvery;
    private final RandomGenerator random;
    private final EventLog log;
    private Observation last;
    private String lastFailure;

    AgentLoop(HostObserver observer, Spool spool, Delivery delivery, Map<String, String> labels, Duration interval,
            Duration checkEvery, RandomGenerator random, EventLog log) {
        this.observer = observer;
        this.spool = spool;
        this.delivery = delivery;
        this.labels = labels;
        this.interval = interval;
        this.checkEvery = checkEvery;
        this.random = random;
        this.log = log;
    }

    /** Runs until {@code stop} is counted down; returns after the step in progress. */
    void run(CountDownLatch stop) throws IOException, InterruptedException {
        Instant nextCheck = Instant.now();
        Instant nextHeartbeat = Instant.now().plus(jittered());
        Instant retryAt = Instant.now();
        while (stop.getCount() > 0) {
            Instant now = Instant.now();
            boolean heartbeatDue = !now.isBefore(nextHeartbeat);
            if (heartbeatDue || !now.isBefore(nextCheck)) {
                Optional<Spool.Kind> spooled = observe(heartbeatDue);
                nextCheck = now.plus(checkEvery);
                if (spooled.isPresent()) {
                    nextHeartbeat = now.plus(jittered());
                    retryAt = spooled.get() == Spool.Kind.CHANGE ? now : retryAt; // a change goes out at once
                }
            }
            if (spool.size() > 0 && !now.isBefore(retryAt)) {
                retryAt = delivery.drain(spool, last).map(Instant.now()::plus).orElse(Instant.now());
            }
            Instant wake = nextCheck.isBefore(nextHeartbeat) ? nextCheck : nextHeartbeat;
            if (spool.size() > 0 && retryAt.isBefore(wake)) {
                wake = retryAt;
            }
            long millis = Math.max(1, Duration.between(Instant.now(), wake).toMillis());
            stop.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Observes and spools a change, or a heartbeat when one is due; empty when nothing was spooled. */
    private Optional<Spool.Kind> observe(boolean heartbeatDue) throws IOException {
        Observation seen;
        try {
            seen = observer.observe();
        } catch (CommandFailure e) {
            if (!e.getMessage().equals(lastFailure)) {
                log.event("cannot observe the host: " + e.getMessage());
                lastFailure = e.getMessage();
            }
            return Optional.empty();
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
            return Optional.empty();
        }
        byte[] image = kind == Spool.Kind.CHANGE ? seen.image() : null;
        byte[] record = Delivery.encode(new Delivery.SpooledReport(seen.report(labels), image));
        boolean firstDrop = spool.pendingDrops().isNone();
        if (!spool.offer(kind, record) && firstDrop) {
            log.event("spool full (" + spool.bytes() + " bytes): dropped a " + kind.name().toLowerCase()
                    + " observation; further drops are counted and reported");
        }
        last = seen;
        return Optional.of(kind);
    }

    private Duration jittered() {
        long millis = interval.toMillis();
        return Duration.ofMillis(millis - millis / 10 + random.nextLong(millis / 5 + 1));
    }
}
