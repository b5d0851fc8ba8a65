package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the client classifies a service's refusals for the daemon's retry policy, and how long it waits. */
class ServiceClientTests {

    /** A valid enrolment answer: what a slow service eventually sends in full. */
    private static final byte[] ENROLLED = (" ".repeat(70) + "{\"hostId\":1,\"nodeKey\":\"nk\"}")
            .getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    /** Ends the slow handlers, so that stopping the server does not wait for them. */
    private final CountDownLatch released = new CountDownLatch(1);

    @AfterEach
    void stop() {
        released.countDown();
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
        serve(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/elsewhere")) {
                followed.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            }
            exchange.close();
        });
        ServiceClient client = new ServiceClient(url());

        ServiceClient.ServiceException refusal = catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));

        assertThat(refusal.status()).isEqualTo(302);
        assertThat(refusal.retryable()).isFalse();
        assertThat(followed).hasValue(0);
    }

    /** How a slow service answers. */
    enum Slow {
        /** Nothing at all: the wait for the headers. */
        SILENT(0),
        /** The headers with a Content-Length, then one byte every 200 ms (about 20 s for the whole answer). */
        TRICKLED(200),
        /** The same, one byte every 20 s: a read that is still waiting when the deadline passes. */
        TRICKLED_SLOWLY(20_000),
        /** One byte per chunk every 200 ms. */
        TRICKLED_IN_CHUNKS(200);

        final long millisPerByte;

        Slow(long millisPerByte) {
            this.millisPerByte = millisPerByte;
        }
    }

    /** Each byte comes within the 30 s read timeout: only the deadline (here 1 s) can end the request. */
    @ParameterizedTest
    @EnumSource(Slow.class)
    void enrollWhenTheServiceIsSlowThenUnreachableAtTheDeadline(Slow answer) throws IOException {
        serve(exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                if (answer == Slow.SILENT) {
                    released.await(60, TimeUnit.SECONDS);
                    return;
                }
                exchange.sendResponseHeaders(200, answer == Slow.TRICKLED_IN_CHUNKS ? 0 : ENROLLED.length);
                OutputStream out = exchange.getResponseBody();
                for (byte b : ENROLLED) {
                    out.write(b);
                    out.flush();
                    if (released.await(answer.millisPerByte, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        ServiceClient client = new ServiceClient(url(), ServerTrust.system(), Duration.ofSeconds(1));
        long start = System.nanoTime();

        ServiceClient.ServiceException refusal = catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));

        assertThat(refusal).as("the request was cut, not answered").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(refusal.getMessage()).startsWith("POST " + url() + "/agent/enroll: cannot reach the service: ")
                .contains("no complete answer within 1 s (the request deadline)");
        assertThat(refusal.status()).isZero();
        assertThat(refusal.retryable()).isTrue();
    }

    @Test
    void enrollManyTimesWithinTheDeadlineThenAnsweredOverOneKeptAliveConnection() throws Exception {
        Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
        serve(exchange -> {
            connections.add(exchange.getRemoteAddress());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, ENROLLED.length);
            exchange.getResponseBody().write(ENROLLED);
            exchange.close();
        });
        ServiceClient client = new ServiceClient(url(), ServerTrust.system(), Duration.ofSeconds(1));
        long threadsBefore = requestThreads();

        for (int i = 0; i < 50; i++) {
            EnrollResponse enrolled = client.enroll(new EnrollRequest("s", "k", "h"));
            assertThat(enrolled.nodeKey()).isEqualTo("nk");
        }

        assertThat(connections).as("keep-alive: no request was disconnected").hasSize(1);
        assertThat(requestThreads()).as("one request thread reused by all").isLessThanOrEqualTo(threadsBefore + 1);
    }

    private static long requestThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("vdso-agent-request")).count();
    }

    private void serve(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private ServiceClient.ServiceException answer(int status, String retryAfter) throws IOException {
        serve(exchange -> {
            byte[] body = "{\"title\":\"Refused\",\"detail\":\"bad image\"}".getBytes(StandardCharsets.UTF_8);
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ServiceClient client = new ServiceClient(url());
        return catchThrowableOfType(ServiceClient.ServiceException.class,
                () -> client.enroll(new EnrollRequest("s", "k", "h")));
    }
}
