package io.vdsoinventory.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;

/**
 * A real webhook receiver on 127.0.0.1 for the service tests: records every POST (body, signature header, the
 * status it answered) and answers 500 to the first request whose body contains a marker registered with
 * {@link #failOnce(String)}, 200 to every other.
 */
public final class WebhookReceiver {

    /** The shared secret the tests configure for the service's webhooks. */
    public static final String SECRET = "test-webhook-secret";

    /** One request received. */
    public record Delivery(String body, String signature, int answered) {

        /** Whether the signature header is the HMAC-SHA256 of the body under {@link #SECRET}. */
        public boolean signedCorrectly() {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
                return expected.equals(signature);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();

    private WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = failOnce.removeIf(body::contains);
            int status = fail ? 500 : 200;
            deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Vdso-Signature"), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    static WebhookReceiver start() {
        return new WebhookReceiver();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The first request whose body contains {@code marker} is answered 500. */
    public void failOnce(String marker) {
        failOnce.add(marker);
    }

    /** Every request received so far whose body contains {@code marker}, in arrival order. */
    public List<Delivery> deliveriesContaining(String marker) {
        return deliveries.stream().filter(d -> d.body().contains(marker)).toList();
    }
}
