package io.vdsoinventory.agent.daemon;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The daemon's log: one timestamped line per event (enrolled, change, outage), never one per heartbeat. */
public final class EventLog {

    private final PrintWriter err;

    public EventLog(PrintWriter err) {
        this.err = err;
    }

    public void event(String message) {
        err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message);
        err.flush();
    }

    public PrintWriter writer() {
        return err;
    }
}
