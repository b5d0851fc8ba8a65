package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the daemon's next heartbeat is due. */
class HeartbeatIntervalTests {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void intervalWhenTheServiceHasNotAnsweredThenFiveMinutes() {
        assertThat(new HeartbeatInterval(null, new Random(1), START).interval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void intervalWhenTheServiceAsksThenItsNextReportSeconds() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(null, new Random(1), START);

        heartbeats.requested(90);

        assertThat(heartbeats.interval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void intervalWhenTheOperatorGaveOneThenItWinsOverTheService() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(Duration.ofSeconds(1), new Random(1), START);

        heartbeats.requested(600);

        assertThat(heartbeats.interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void intervalWhenTheServiceAsksTooLittleOrTooMuchThenBounded() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(null, new Random(1), START);

        heartbeats.requested(1);
        assertThat(heartbeats.interval()).isEqualTo(Duration.ofSeconds(10));

        heartbeats.requested(10 * 24 * 3600);
        assertThat(heartbeats.interval()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void intervalWhenTheServiceAnswersZeroThenTheLastWishStands() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(null, new Random(1), START);
        heartbeats.requested(120);

        heartbeats.requested(0);
        heartbeats.requested(-5);

        assertThat(heartbeats.interval()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void dueWhenReportedThenWithinTenPercentOfTheIntervalAndJittered() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(null, new Random(7), START);
        heartbeats.requested(100);
        Set<Instant> seen = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            heartbeats.reported(START);
            assertThat(heartbeats.due()).isBetween(START.plusSeconds(90), START.plusSeconds(110));
            seen.add(heartbeats.due());
        }

        assertThat(seen).as("jittered, not lockstep").hasSizeGreaterThan(100);
    }

    @Test
    void dueWhenTheServiceChangesItsWishThenTheScheduledHeartbeatMoves() {
        HeartbeatInterval heartbeats = new HeartbeatInterval(null, new Random(3), START);
        assertThat(heartbeats.due()).isAfter(START.plusSeconds(269));

        heartbeats.requested(30);

        assertThat(heartbeats.due()).isBetween(START.plusSeconds(27), START.plusSeconds(33));
    }
}
