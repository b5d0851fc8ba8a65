package io.vdsoinventory.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailuresTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AuthFailures failures = new AuthFailures(new SecurityProperties(3, Duration.ofSeconds(60)),
            now::get);

    @Test
    void throttledWhenTheLimitIsReachedWithinTheWindowThenUntilTheWindowEnds() {
        failures.failed("10.0.0.1");
        failures.failed("10.0.0.1");
        assertThat(failures.throttled("10.0.0.1")).isEmpty();

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        failures.failed("10.0.0.1");

        assertThat(failures.throttled("10.0.0.1")).contains(Duration.ofSeconds(40));
        assertThat(failures.throttled("10.0.0.2")).as("another address").isEmpty();
        now.addAndGet(Duration.ofSeconds(40).toNanos());
        assertThat(failures.throttled("10.0.0.1")).as("after the window").isEmpty();
    }

    @Test
    void failedWhenTheWindowHasEndedThenCountingStartsAgain() {
        failures.failed("10.0.0.1");
        failures.failed("10.0.0.1");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        failures.failed("10.0.0.1");
        failures.failed("10.0.0.1");

        assertThat(failures.throttled("10.0.0.1")).isEmpty();
    }

    @Test
    void failedWhenMoreAddressesThanTrackedThenMemoryStaysBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < AuthFailures.MAX_ADDRESSES + 500; i++) {
            failures.failed("10.1." + (i / 256) + "." + (i % 256));
        }
        failures.failed("192.0.2.1");
        failures.failed("192.0.2.1");
        failures.failed("192.0.2.1");
        assertThat(failures.throttled("192.0.2.1")).as("no room while every window is live").isEmpty();

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        failures.failed("192.0.2.1");
        failures.failed("192.0.2.1");
        failures.failed("192.0.2.1");
        assertThat(failures.throttled("192.0.2.1")).as("expired windows made room").isPresent();
    }
}
