package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.vdsoinventory.protocol.EnrollRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the client classifies a service's refusals for the daemon's retry policy. */
class ServiceClientTests {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void enrollWhenOverloadedWithRetryAfterThenRetryableWithThatDelay() throws IOException {
        ServiceClient.ServiceException refusal = answer(503, "7");

        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.retryable()).isTrue();
        assertThat(refusal.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void enrollWhenThrottledWithoutRetryAfterThenRetryableWithoutDelay() throws IOException {
        ServiceClient.ServiceException refusal = answer(429, null);

        assertThat(refusal.retryable()).isTrue();
        assertThat(refusal.retryAfter()).isEmpty();
    }

    @Test
    void enrollWhenRefusedForGoodThenNotRetryable() throws IOException {
        ServiceClient.ServiceException refusal = answer(422, null);

        assertThat(refusal.retryable()).isFalse();
        assertThat(refusal.unauthorized()).isFalse();
        assertThat(refusal.getMessage()).contains("422").contains("bad image");
    }

    @Test
    void enrollWhenUnauthorizedThenEnrolAgain() throws IOException {
        assertThat(answer(401, null).unauthorized()).isTrue();
    }

    @Test
    void enrollWhenNobodyListensThenRetryableStatusZero() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ServiceClient client = new ServiceClient(URI.create("http://127.0.0.1:" + port));

        ServiceClient.ServiceException refusal = catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));

        assertThat(refusal.status()).isZero();
        assertThat(refusal.retryable()).isTrue();
    }

    @Test
    void enrollWhenRedirectedThenRefusedWithoutFollowing() throws IOException {
        AtomicInteger followed = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/elsewhere", exchange -> {
            followed.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        ServiceClient client = new ServiceClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

        ServiceClient.ServiceException refusal = catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));

        assertThat(refusal.status()).isEqualTo(302);
        assertThat(refusal.retryable()).isFalse();
        assertThat(followed).hasValue(0);
    }

    private ServiceClient.ServiceException answer(int status, String retryAfter) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"title\":\"Refused\",\"detail\":\"bad image\"}".getBytes(StandardCharsets.UTF_8);
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ServiceClient client = new ServiceClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        return catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));
    }
}
