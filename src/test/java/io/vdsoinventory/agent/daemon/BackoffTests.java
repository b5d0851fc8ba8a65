package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTests {

    /** A generator that always answers its bound minus one: the largest delay full jitter can choose. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void nextWhenFailuresRepeatThenCeilingDoublesUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), HIGHEST);

        assertThat(delays(backoff, 6)).containsExactly(1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
    }

    @Test
    void nextThenDelaysAreSpreadBetweenZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new SplittableRandom(42));

        List<Long> delays = delays(backoff, 200);

        assertThat(delays).allMatch(d -> d >= 0 && d <= 1000);
        assertThat(delays.stream().distinct().count()).as("jittered, not lockstep").isGreaterThan(100);
    }

    @Test
    void resetWhenDeliveredThenTheNextFailureStartsFromBase() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), HIGHEST);
        delays(backoff, 5);

        backoff.reset();

        assertThat(backoff.next(Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void nextWhenRetryAfterLongerThanTheJitterThenRetryAfterIsTheFloor() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), HIGHEST);

        assertThat(backoff.next(Optional.of(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.next(Optional.of(Duration.ofMillis(1)))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void nextWhenRetryAfterAbsurdThenBoundedByAnHour() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), HIGHEST);

        assertThat(backoff.next(Optional.of(Duration.ofDays(30)))).isEqualTo(Backoff.MAX_RETRY_AFTER);
    }

    @Test
    void newWhenCapBelowBaseThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1), HIGHEST))
                .withMessageContaining("base");
    }

    private static List<Long> delays(Backoff backoff, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(backoff.next(Optional.empty()).toMillis());
        }
        return delays;
    }
}
