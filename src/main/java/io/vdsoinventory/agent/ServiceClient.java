package io.vdsoinventory.agent;

import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.protocol.ImageReceipt;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's side of the protocol in openapi.yaml, over {@link HttpURLConnection} (http or https): unlike
 * java.net.http it does not load an asynchronous client and the TLS stack for a plain http service, which keeps
 * the daemon's resident memory small. Answers are read up to {@value #MAX_ANSWER_BYTES} bytes. Every failure
 * (unreachable service, refused request, unexpected answer) is one {@link ServiceException} whose message is a single line naming the
 * request and, for a refusal, the service's problem detail.
 *
 * <p>The connect and read timeouts bound each wait, not the request: an answer that trickles in a byte at a time
 * never trips them. So every request also has a deadline ({@link #REQUEST_DEADLINE}) for connecting, sending and
 * reading the whole answer; when it passes, one shared daemon thread disconnects the request, which then fails as
 * unreachable. A request done in time cancels its disconnection and keeps its connection for the next (keep-alive).
 */
final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The whole request, from connecting to the last byte of the answer: the connect timeout plus the read
     * timeout, within the 45 s that {@code agent run} waits on SIGTERM for the step in progress.
     */
    static final Duration REQUEST_DEADLINE = CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT);

    /** Disconnects the requests whose deadline passed; its one thread starts with the first request. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    /** The service's answers are small JSON documents; anything longer is not one of them. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final URI server;
    private final Duration deadline;

    ServiceClient(URI server) {
        this(server, REQUEST_DEADLINE);
    }

    /** {@code deadline}: shorter in tests. */
    ServiceClient(URI server, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the request deadline must be positive: " + deadline);
        }
        this.server = server;
        this.deadline = deadline;
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "vdso-agent-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // a request done in time leaves no task behind in the queue
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The service refused a request or could not be reached. {@code status} is the HTTP status, 0 when no answer
     * came; {@code retryAfter} the answer's Retry-After, when it had one.
     */
    static final class ServiceException extends Exception {
        private final int status;
        private final transient Optional<Duration> retryAfter;

        ServiceException(String message, Throwable cause) {
            super(message, cause);
            this.status = 0;
            this.retryAfter = Optional.empty();
        }

        ServiceException(String message, int status, Optional<Duration> retryAfter) {
            super(message);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        int status() {
            return status;
        }

        Optional<Duration> retryAfter() {
            return retryAfter;
        }

        /** The node key is unknown or revoked: enrol again. */
        boolean unauthorized() {
            return status == 401;
        }

        /** Unreachable, timed out, overloaded or failing: the same request may succeed later. */
        boolean retryable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }

    EnrollResponse enroll(EnrollRequest request) throws ServiceException {
        return send("POST", "/agent/enroll", null, AgentJson.write(request), "application/json", EnrollResponse.class);
    }

    ReportResponse report(String nodeKey, ReportRequest report) throws ServiceException {
        return send("POST", "/agent/reports", nodeKey, AgentJson.write(report), "application/json",
                ReportResponse.class);
    }

    ImageReceipt upload(String nodeKey, String sha256, byte[] bytes) throws ServiceException {
        return send("PUT", "/agent/images/" + sha256, nodeKey, bytes, "application/octet-stream", ImageReceipt.class);
    }

    private <T> T send(String method, String path, String bearer, byte[] body, String contentType, Class<T> answer)
            throws ServiceException {
        Answer received = exchange(method, server.resolve(path), bearer, body, contentType);
        if (received.status() / 100 != 2) {
            throw new ServiceException(method + " " + path + ": " + received.status() + " " + problem(received.body()),
                    received.status(), received.retryAfter().flatMap(value -> RetryAfter.parse(value, Instant.now())));
        }
        try {
            return AgentJson.read(received.body(), answer);
        } catch (AgentJson.MalformedJsonException e) {
            throw new ServiceException(method + " " + path + ": unexpected answer: " + e.getMessage(),
                    received.status(), Optional.empty());
        }
    }

    /** An answer read to its end (or to {@link #MAX_ANSWER_BYTES}). */
    private record Answer(int status, byte[] body, Optional<String> retryAfter) {
    }

    /** Sends one request and reads its answer, all within the deadline. */
    private Answer exchange(String method, URI uri, String bearer, byte[] body, String contentType)
            throws ServiceException {
        AtomicBoolean cut = new AtomicBoolean();
        ScheduledFuture<?> disconnection = null;
        HttpURLConnection connection = null;
        Answer answer;
        try {
            URLConnection opened = uri.toURL().openConnection();
            if (!(opened instanceof HttpURLConnection http)) {
                throw new IOException("not an http or https URL");
            }
            connection = http;
            disconnection = DEADLINES.schedule(() -> {
                cut.set(true);
                // closes the socket, or the answer's stream: the blocked read fails
                http.disconnect();
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            // a redirect would turn a POST into a GET (and may leave the configured host): answer it as refused
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty("Accept", "application/json");
            if (bearer != null) {
                connection.setRequestProperty("Authorization", "Bearer " + bearer);
            }
            // not streamed: a streamed request answered 401 with WWW-Authenticate loses the answer's body
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            Optional<String> retryAfter = Optional.ofNullable(connection.getHeaderField("Retry-After"));
            try (InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
                answer = new Answer(status, in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES), retryAfter);
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a URL HttpURLConnection cannot open (not http or https)
            if (connection != null) {
                connection.disconnect();
            }
            throw unreachable(method, uri, cut.get() ? deadlinePassed() : e.toString(), e);
        } finally {
            if (disconnection != null) {
                disconnection.cancel(false);
            }
        }
        // cut after the last byte: what was read may be whole, but the request did not finish in time
        if (cut.get()) {
            throw unreachable(method, uri, deadlinePassed(), null);
        }
        // a connection whose answer was read to the end stays open for the next request (keep-alive)
        return answer;
    }

    private String deadlinePassed() {
        long millis = deadline.toMillis();
        return "no complete answer within " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms")
                + " (the request deadline)";
    }

    private static ServiceException unreachable(String method, URI uri, String reason, Throwable cause) {
        return new ServiceException(method + " " + uri + ": cannot reach the service: " + reason, cause);
    }

    /** "title: detail" of a problem+json answer, else the start of the body. */
    private static String problem(byte[] received) {
        try {
            Map<String, Object> problem = AgentJson.readObject(received);
            if (problem.get("detail") != null) {
                return Objects.toString(problem.get("title"), "") + ": " + problem.get("detail");
            }
        } catch (AgentJson.MalformedJsonException e) {
            // not JSON: show what came back
        }
        String body = new String(received, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
