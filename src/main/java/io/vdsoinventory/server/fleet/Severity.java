package io.vdsoinventory.server.fleet;

import java.util.Locale;

/** How urgent a finding is, least first. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The least severity of an open finding that flags a host when no other is asked for (GET /hosts?flagged=). */
    public static final Severity FLAGS_BY_DEFAULT = MEDIUM;

    /** The order of severities as stored in {@code findings.severity_rank} (migration V9): INFO 0 .. CRITICAL 4. */
    public int rank() {
        return ordinal();
    }

    /** The metric label value: the name in lower case (docs/metrics.md). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
