package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void parseWhenDelaySecondsThenThatDelay() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parseWhenHttpDateThenTheTimeUntilIt() {
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 12:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void parseWhenHttpDateInThePastThenNoDelay() {
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parseWhenHugeNumberThenCappedInsteadOfOverflowing() {
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(Backoff.MAX_RETRY_AFTER);
    }

    @Test
    void parseWhenNotADelayThenIgnored() {
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
    }
}
