package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.FindingStatus;
import io.vdsoinventory.server.fleet.Severity;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A finding as the API shows it (openapi.yaml {@code Finding}).
 *
 * @param subject what it is about within its kind: a symbol, a version, an anomaly kind, a cohort key, a boot id,
 *        or "" for kinds with one finding per host
 * @param evidence why it was opened: the symbol, anomalies, cohort, baseline, variants and peers, ...
 * @param suppression who suppressed it, when and why; null when nobody did
 */
public record FindingView(long id, long hostId, String hostname, FindingKind kind, Severity severity,
        FindingStatus status, String subject, Map<String, Object> evidence, Instant openedAt, Instant updatedAt,
        @Nullable Instant resolvedAt, @Nullable Suppression suppression) {

    /** The audit of a suppression. */
    public record Suppression(String by, Instant at, String reason) {
    }
}
