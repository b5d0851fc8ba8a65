package io.vdsoinventory.agent;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The daemon's log: one timestamped line per event (enrolled, change, outage), never one per heartbeat. */
final class EventLog {

    private final PrintWriter err;

    EventLog(PrintWriter err) {
        this.err = err;
    }

    void event(String message) {
        err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message);
        err.flush();
    }

    PrintWriter writer() {
        return err;
    }
}
