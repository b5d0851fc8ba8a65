package io.vdsoinventory.server.metrics;

import java.util.Locale;

/** The {@code result} label of {@code vdso_reports_total}: how one {@code POST /agent/reports} ended. */
public enum ReportResult {
    /** Stored. */
    ACCEPTED,
    /** Already seen (a retry with the same report id). */
    DUPLICATE,
    /** Invalid or unauthenticated: a 4xx answer other than 429. */
    REJECTED,
    /** Ingest saturated: 429. */
    THROTTLED,
    /** The server failed: 5xx. */
    ERROR;

    /** Request attribute a handler sets to {@link #DUPLICATE} when it answered a retry. */
    public static final String ATTRIBUTE = "io.vdsoinventory.reportResult";

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ReportResult of(int status, boolean duplicate) {
        if (status == 429) {
            return THROTTLED;
        }
        if (status >= 500) {
            return ERROR;
        }
        if (status >= 400) {
            return REJECTED;
        }
        return duplicate ? DUPLICATE : ACCEPTED;
    }
}
