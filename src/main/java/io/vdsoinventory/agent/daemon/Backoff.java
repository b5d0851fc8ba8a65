package io.vdsoinventory.agent.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Delays between failed deliveries: exponential with full jitter (a uniformly random delay between zero and
 * {@code base * 2^failures}, capped), so that a fleet whose service comes back does not return in lockstep. A
 * service's Retry-After is honoured as a floor, itself bounded by {@link #MAX_RETRY_AFTER} against a hostile or
 * mistaken value.
 */
public final class Backoff {

    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + base + ", cap " + cap);
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The delay after one more failure; {@code retryAfter} is the service's Retry-After, when it sent one. */
    Duration next(Optional<Duration> retryAfter) {
        long ceiling = ceilingMillis(failures);
        failures = Math.min(failures + 1, 62);
        Duration jittered = Duration.ofMillis(random.nextLong(ceiling + 1));
        return retryAfter.map(floor -> floor.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : floor)
                .filter(floor -> floor.compareTo(jittered) > 0)
                .orElse(jittered);
    }

    /** After a success: the next failure starts from {@code base} again. */
    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }

    private long ceilingMillis(int exponent) {
        long capMillis = cap.toMillis();
        long value = base.toMillis();
        for (int i = 0; i < exponent && value < capMillis; i++) {
            value *= 2;
        }
        return Math.min(value, capMillis);
    }
}
