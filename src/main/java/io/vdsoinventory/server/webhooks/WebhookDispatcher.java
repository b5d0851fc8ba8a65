package io.vdsoinventory.server.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the webhook outbox: per URL, up to {@code batch-size} due deliveries in one POST of
 * {@code {"findings":[...]}}, signed {@code X-Vdso-Signature: sha256=<hex HMAC-SHA256 of the body>}. A 2xx marks
 * them delivered; anything else waits {@code initial-backoff * 2^(attempts-1)} (at most {@code max-backoff}) and is
 * given up after {@code max-attempts}. Deliveries are claimed with a lease (SKIP LOCKED), so replicas share the
 * work and a crashed sender's batch is retried. Ingest only writes outbox rows: a slow receiver never delays it.
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** The signature header a receiver checks. */
    static final String SIGNATURE = "X-Vdso-Signature";

    private final JdbcClient jdbc;
    private final WebhookProperties webhooks;
    private final HttpClient http;

    WebhookDispatcher(JdbcClient jdbc, WebhookProperties webhooks) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
        this.http = HttpClient.newBuilder().connectTimeout(webhooks.timeout()).build();
    }

    @Scheduled(initialDelayString = "${vdso.detection.webhooks.interval:2s}",
            fixedDelayString = "${vdso.detection.webhooks.interval:2s}")
    void scheduled() {
        try {
            dispatch();
        } catch (DataAccessException e) {
            log.warn("Webhook dispatch failed, retried at the next run: {}", e.getMessage());
        }
    }

    /** One pass over every URL; the number of deliveries sent successfully. */
    int dispatch() {
        int delivered = 0;
        for (URI url : webhooks.urls()) {
            delivered += send(url);
        }
        return delivered;
    }

    private record Due(long id, String payload, int attempts) {
    }

    private int send(URI url) {
        List<Due> due = jdbc.sql("""
                UPDATE webhook_outbox SET next_attempt_at = now() + make_interval(secs => :lease)
                WHERE id IN (SELECT id FROM webhook_outbox
                             WHERE url = :url AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                             ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id, payload, attempts
                """)
                .param("lease", webhooks.timeout().toSeconds() * 2 + 1)
                .param("url", url.toString())
                .param("limit", webhooks.batchSize())
                .query((rs, row) -> new Due(rs.getLong(1), rs.getString(2), rs.getInt(3)))
                .list();
        if (due.isEmpty()) {
            return 0;
        }
        List<Due> ordered = due.stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
        String body = "{\"findings\":[" + String.join(",", ordered.stream().map(Due::payload).toList()) + "]}";
        String failure = post(url, body);
        Long[] ids = ordered.stream().map(Due::id).toArray(Long[]::new);
        if (failure == null) {
            jdbc.sql("UPDATE webhook_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = ANY(:ids)")
                    .param("ids", ids)
                    .update();
            return ordered.size();
        }
        int attempts = ordered.stream().mapToInt(Due::attempts).max().orElse(0) + 1;
        log.warn("Webhook {} failed (attempt {} of {}): {}", url, attempts, webhooks.maxAttempts(), failure);
        jdbc.sql("""
                UPDATE webhook_outbox SET attempts = attempts + 1, last_error = :error,
                    next_attempt_at = now() + make_interval(secs => :backoff),
                    failed_at = CASE WHEN attempts + 1 >= :max THEN now() END
                WHERE id = ANY(:ids)
                """)
                .param("error", failure)
                .param("backoff", backoff(attempts).toMillis() / 1000.0)
                .param("max", webhooks.maxAttempts())
                .param("ids", ids)
                .update();
        return 0;
    }

    /** The wait after {@code attempts} failed attempts: doubling from the initial backoff, capped. */
    Duration backoff(int attempts) {
        Duration wait = webhooks.initialBackoff();
        for (int i = 1; i < attempts && wait.compareTo(webhooks.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(webhooks.maxBackoff()) > 0 ? webhooks.maxBackoff() : wait;
    }

    /** Posts the body; null on a 2xx, else why it failed. */
    private @Nullable String post(URI url, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(webhooks.timeout())
                .header("Content-Type", "application/json")
                .header(SIGNATURE, "sha256=" + sign(Objects.requireNonNull(webhooks.secret()), body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Hex HMAC-SHA256 of the UTF-8 body under the secret. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
