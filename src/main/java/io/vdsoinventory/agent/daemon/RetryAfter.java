package io.vdsoinventory.agent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The Retry-After response header (RFC 9110 section 10.2.3): either delay-seconds (a non-negative decimal integer)
 * or an HTTP-date (IMF-fixdate, RFC 9110 section 5.6.7). Anything else is ignored, as the RFC allows.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The delay {@code value} asks for, as seen at {@code now}; a date in the past is no delay. */
    static Optional<Duration> parse(String value, Instant now) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more digits than a long holds is still "a very long time": cap instead of failing
            return Optional.of(text.length() > 12 ? Backoff.MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
