package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClockCheckTests {

    @Test
    void runWhenLiveVdsoThenItsClockAgreesWithTheSystemCall() throws HostReadException {
        CapturedVdso live = LinuxHost.captureVdso().orElseThrow();

        List<ClockCheck> checks = LinuxHost.checkClock(live).orElseThrow();

        assertThat(checks).extracting(ClockCheck::clock).containsExactly("CLOCK_REALTIME", "CLOCK_MONOTONIC");
        assertThat(checks).allMatch(ClockCheck::consistent);
        assertThat(checks).extracting(ClockCheck::symbol).allMatch(name -> name.endsWith("_clock_gettime"));
    }

    @Test
    void runWhenTheVdsoRunsAnHourAheadThenInconsistentByAnHour() throws HostReadException {
        CapturedVdso live = LinuxHost.captureVdso().orElseThrow();
        long hour = 3_600_000_000_000L;
        NativeClock lying = new NativeClock() {
            private long now = 1_000_000;

            @Override
            public boolean hasClockGettimeSyscall() {
                return true;
            }

            @Override
            public long syscallClockGettime(int clockId) {
                return now += 10;
            }

            @Override
            public long callClockGettime(long address, int clockId) {
                return (now += 10) + hour;
            }
        };

        List<ClockCheck> checks = ClockCheck.run(lying, live).orElseThrow();

        assertThat(checks).noneMatch(ClockCheck::consistent);
        assertThat(checks).extracting(ClockCheck::differenceNanos).containsOnly(hour);
    }
}
