package io.vdsoinventory.server.detection;

import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.server.fleet.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of detection ({@code vdso.detection.*}).
 *
 * @param quorum hosts that must agree on a variant before the cohort's majority becomes its baseline
 * @param allowlist allowlist mode: every image no admin trusted raises UNTRUSTED_IMAGE
 * @param silentAfter a host that has not reported for this long is silent (HOST_SILENT)
 * @param sweepInterval how often the silent-host and drift-expiry sweep runs
 * @param driftWindow how long a KERNEL_DRIFT finding stays open before it resolves itself
 * @param cohortBatch hosts re-evaluated per transaction when a cohort's baseline changes
 * @param clockTolerance how far the vDSO's clock_gettime may be from the system call's before the host gets
 *        VDSO_CLOCK_MISMATCH
 * @param processEvidence how many differing processes a PROCESS_VDSO_MISMATCH finding names at most (1 to
 *        {@value ProcessScanSummary#MAX_LISTED}, what a report lists)
 * @param webhooks where newly opened findings are posted
 */
@ConfigurationProperties("vdso.detection")
public record DetectionProperties(
        @DefaultValue("3") int quorum,
        @DefaultValue("false") boolean allowlist,
        @DefaultValue("5m") Duration silentAfter,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("24h") Duration driftWindow,
        @DefaultValue("200") int cohortBatch,
        @DefaultValue("250ms") Duration clockTolerance,
        @DefaultValue("32") int processEvidence,
        @DefaultValue Webhooks webhooks) {

    public DetectionProperties {
        if (quorum < 1) {
            throw new IllegalArgumentException("vdso.detection.quorum must be positive, got " + quorum);
        }
        if (cohortBatch < 1) {
            throw new IllegalArgumentException("vdso.detection.cohort-batch must be positive, got " + cohortBatch);
        }
        if (processEvidence < 1 || processEvidence > ProcessScanSummary.MAX_LISTED) {
            throw new IllegalArgumentException("vdso.detection.process-evidence must be between 1 and "
                    + ProcessScanSummary.MAX_LISTED + ", got " + processEvidence);
        }
        if (!positive(silentAfter) || !positive(sweepInterval) || !positive(driftWindow) || !positive(clockTolerance)) {
            throw new IllegalArgumentException("vdso.detection durations must be positive");
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /**
     * Webhooks: each newly opened finding of {@code severities} is posted to every URL, batched, signed with
     * HMAC-SHA256 of the body under {@code secret} ({@code X-Vdso-Signature: sha256=<hex>}), retried with
     * exponential backoff.
     *
     * @param urls where to post; none disables webhooks
     * @param secret the HMAC key; required when urls are set
     * @param severities the severities posted
     * @param batchSize findings per POST at most
     * @param interval how often the dispatcher looks for due deliveries
     * @param initialBackoff the wait after the first failed attempt, doubled after each further one
     * @param maxBackoff the longest wait between attempts
     * @param maxAttempts attempts before a delivery is given up (kept, marked failed)
     * @param timeout connect and request timeout of one POST
     */
    public record Webhooks(
            @DefaultValue List<URI> urls,
            @Nullable String secret,
            @DefaultValue({"CRITICAL", "HIGH"}) Set<Severity> severities,
            @DefaultValue("50") int batchSize,
            @DefaultValue("2s") Duration interval,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("10m") Duration maxBackoff,
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("5s") Duration timeout) {

        public Webhooks {
            urls = List.copyOf(urls);
            severities = Set.copyOf(severities);
            if (!urls.isEmpty() && (secret == null || secret.isBlank())) {
                throw new IllegalArgumentException("vdso.detection.webhooks.secret is required with webhook urls");
            }
            for (URI url : urls) {
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                    throw new IllegalArgumentException("vdso.detection.webhooks.urls must be http(s), got " + url);
                }
            }
            if (batchSize < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("vdso.detection.webhooks batch-size and max-attempts must be positive");
            }
        }

        boolean posts(Severity severity) {
            return !urls.isEmpty() && severities.contains(severity);
        }
    }
}
