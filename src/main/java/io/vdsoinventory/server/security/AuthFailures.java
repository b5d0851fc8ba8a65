package io.vdsoinventory.server.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Failed authentications (a wrong enroll secret, an unknown bearer token) per source address. An address with
 * {@code vdso.security.auth-failure-limit} failures within one {@code auth-failure-window} is throttled until the
 * window ends: its enrolments and its bearer tokens this instance has not verified already are answered 429 +
 * Retry-After without being checked, so guessing learns nothing, while agents behind the same address (a NAT)
 * whose node keys are known carry on. Memory is bounded: at most {@value #MAX_ADDRESSES} addresses are tracked.
 */
@Component
class AuthFailures {

    static final int MAX_ADDRESSES = 10_000;

    private record Window(long startNanos, int failures) {
    }

    private final int limit;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Autowired
    AuthFailures(SecurityProperties properties) {
        this(properties, System::nanoTime);
    }

    AuthFailures(SecurityProperties properties, LongSupplier clock) {
        this.limit = properties.authFailureLimit();
        this.windowNanos = properties.authFailureWindow().toNanos();
        this.clock = clock;
    }

    /** How long {@code address} stays throttled; empty when it is not. */
    Optional<Duration> throttled(String address) {
        Window window = windows.get(address);
        long now = clock.getAsLong();
        if (window == null || window.failures() < limit || now - window.startNanos() >= windowNanos) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(window.startNanos() + windowNanos - now));
    }

    /** Counts one failed authentication of {@code address}. */
    void failed(String address) {
        long now = clock.getAsLong();
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            windows.values().removeIf(window -> now - window.startNanos() >= windowNanos);
            if (windows.size() >= MAX_ADDRESSES) {
                return;
            }
        }
        windows.compute(address, (key, window) -> window == null || now - window.startNanos() >= windowNanos
                ? new Window(now, 1) : new Window(window.startNanos(), window.failures() + 1));
    }
}
