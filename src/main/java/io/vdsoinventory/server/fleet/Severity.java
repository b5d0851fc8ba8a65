package io.vdsoinventory.server.fleet;

import java.util.Locale;

/** How urgent a finding is, least first. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The metric label value: the name in lower case (docs/metrics.md). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
