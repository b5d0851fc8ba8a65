package io.vdsoinventory.agent;

import io.vdsoinventory.host.ClockCheck;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.protocol.ClockReading;
import java.io.PrintWriter;
import java.util.List;

/** The {@code --check-clock} behavioural check of the live vDSO, as the commands print and report it. */
public final class ClockChecks {

    private ClockChecks() {
    }

    /** The readings of this process's live vDSO; empty when the check cannot run on this host. */
    public static List<ClockReading> live() throws CommandFailure {
        try {
            return LinuxHost.checkClock(ImageSource.captureLive()).orElse(List.of()).stream()
                    .map(check -> new ClockReading(check.clock(), check.differenceNanos(), check.consistent()))
                    .toList();
        } catch (HostReadException e) {
            throw new CommandFailure("cannot check the vDSO's clock: " + e.getMessage(), e);
        }
    }

    public static void print(List<ClockReading> readings, PrintWriter out) {
        if (readings.isEmpty()) {
            out.println("clock check: not available (no clock_gettime export or unknown system call number)");
        }
        for (ClockReading reading : readings) {
            out.println("clock check " + reading.clock() + ": vDSO - syscall = " + reading.differenceNanos() + " ns, "
                    + (reading.consistent() ? "consistent" : "INCONSISTENT: the vDSO's clock_gettime lies"));
        }
    }
}
