package io.vdsoinventory.agent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When the daemon's next heartbeat is due: the operator's {@code --interval} when given, else the service's latest
 * {@code nextReportSeconds} bounded to {@link #SHORTEST} .. {@link #LONGEST} (a service answering 0 or a day and a
 * half cannot stall or flood the agent), else {@link #UNTIL_THE_SERVICE_SAYS}. Each wait is jittered by up to 10%
 * either way, drawn once per report, so that a fleet started together drifts apart; a new answer from the service
 * moves the heartbeat already scheduled.
 */
public final class HeartbeatInterval {

    static final Duration SHORTEST = Duration.ofSeconds(10);
    static final Duration LONGEST = Duration.ofHours(24);
    static final Duration UNTIL_THE_SERVICE_SAYS = Duration.ofMinutes(5);

    private final Duration explicit;
    private final RandomGenerator random;
    private Duration requested;
    private Instant lastReport;
    private double jitter;

    /** {@code explicit}: the operator's interval, which wins over the service's; null to follow the service. */
    public HeartbeatInterval(Duration explicit, RandomGenerator random, Instant start) {
        this.explicit = explicit;
        this.random = random;
        reported(start);
    }

    /** The service answered a report with {@code nextReportSeconds}; not positive means it has no wish. */
    void requested(int nextReportSeconds) {
        if (nextReportSeconds > 0) {
            Duration asked = Duration.ofSeconds(nextReportSeconds);
            requested = asked.compareTo(SHORTEST) < 0 ? SHORTEST : asked.compareTo(LONGEST) > 0 ? LONGEST : asked;
        }
    }

    /** An observation was reported (or spooled) at {@code at}: the next heartbeat is an interval after it. */
    void reported(Instant at) {
        lastReport = at;
        jitter = 0.9 + 0.2 * random.nextDouble();
    }

    /** The interval before jitter. */
    Duration interval() {
        return explicit != null ? explicit : requested != null ? requested : UNTIL_THE_SERVICE_SAYS;
    }

    Instant due() {
        return lastReport.plusMillis(Math.round(interval().toMillis() * jitter));
    }
}
