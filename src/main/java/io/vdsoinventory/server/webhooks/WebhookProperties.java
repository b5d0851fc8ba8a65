package io.vdsoinventory.server.webhooks;

import io.vdsoinventory.server.fleet.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of webhooks ({@code vdso.detection.webhooks.*}): each newly opened finding of {@code severities}
 * is posted to every URL, batched, signed with HMAC-SHA256 of the body under {@code secret}
 * ({@code X-Vdso-Signature: sha256=<hex>}), retried with exponential backoff.
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
@ConfigurationProperties("vdso.detection.webhooks")
public record WebhookProperties(
        @DefaultValue List<URI> urls,
        @Nullable String secret,
        @DefaultValue({"CRITICAL", "HIGH"}) Set<Severity> severities,
        @DefaultValue("50") int batchSize,
        @DefaultValue("2s") Duration interval,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("10m") Duration maxBackoff,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("5s") Duration timeout) {

    public WebhookProperties {
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

    /** Whether a newly opened finding of this severity is posted anywhere. */
    public boolean posts(Severity severity) {
        return !urls.isEmpty() && severities.contains(severity);
    }
}
