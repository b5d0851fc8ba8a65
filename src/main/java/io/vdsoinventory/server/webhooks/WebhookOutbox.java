package io.vdsoinventory.server.webhooks;

import io.vdsoinventory.server.fleet.FindingKind;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox the dispatcher sends: one row per configured URL for each newly opened finding of a posted
 * severity, written in the caller's transaction so that a finding and its deliveries commit together.
 */
@Repository
public class WebhookOutbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final WebhookProperties webhooks;

    WebhookOutbox(JdbcClient jdbc, JsonMapper json, WebhookProperties webhooks) {
        this.jdbc = jdbc;
        this.json = json;
        this.webhooks = webhooks;
    }

    /** Queues the finding for every URL when its severity is posted; nothing otherwise. */
    public void opened(long hostId, long findingId, FindingKind kind, String subject,
            Map<String, @Nullable Object> evidence) {
        if (!webhooks.posts(kind.severity())) {
            return;
        }
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("findingId", findingId);
        payload.put("hostId", hostId);
        payload.put("kind", kind.name());
        payload.put("severity", kind.severity().name());
        payload.put("subject", subject);
        payload.put("evidence", evidence);
        String body = json.writeValueAsString(payload);
        for (URI url : webhooks.urls()) {
            jdbc.sql("INSERT INTO webhook_outbox (url, finding_id, payload) VALUES (:url, :findingId, :payload)")
                    .param("url", url.toString())
                    .param("findingId", findingId)
                    .param("payload", body)
                    .update();
        }
    }
}
