package io.vdsoinventory.agent.daemon;

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
import java.security.cert.CertificateException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The agent's side of the protocol in openapi.yaml, over {@link HttpURLConnection} (http or https): unlike
 * java.net.http it does not load an asynchronous client and the TLS stack for a plain http service, which keeps
 * the daemon's resident memory small. Answers are read up to {@value #MAX_ANSWER_BYTES} bytes. Every failure
 * (unreachable service, refused request, unexpected answer) is one {@link ServiceException} whose message is a single line naming the
 * request and, for a refusal, the service's problem detail.
 *
 * <p>The connect and read timeouts bound each wait, not the request: an answer that trickles in a byte at a time
 * never trips them. So every request also has a deadline ({@link #REQUEST_DEADLINE}) for connecting, sending and
 * reading the whole answer. The request runs on a daemon thread while the caller waits at most the deadline; when
 * it passes, the caller fails as unreachable at once and the request is disconnected. (Disconnecting alone does not
 * end a blocked read in time: {@link HttpURLConnection#disconnect()} hands a partly read answer with a
 * Content-Length to the JDK's keep-alive cleaner instead of closing the socket, and the read waits for the next
 * byte or its read timeout.) A request done in time keeps its connection for the next one (keep-alive).
 */
public final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The whole request, from connecting to the last byte of the answer: the connect timeout plus the read
     * timeout, within the 45 s that {@code agent run} waits on SIGTERM for the step in progress.
     */
    static final Duration REQUEST_DEADLINE = CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT);

    /**
     * Runs the requests: one thread reused from request to request (it ends after a minute without one), another
     * only while an abandoned request still waits for its read to end.
     */
    private static final ThreadPoolExecutor REQUESTS = requestThreads();

    /** The service's answers are small JSON documents; anything longer is not one of them. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** How often a client of a plain http server says so (see {@link #warnDailyOfPlainHttp}). */
    static final Duration PLAIN_HTTP_WARNING_EVERY = Duration.ofDays(1);

    private final URI server;
    private final ServerTrust trust;
    private final Duration deadline;
    private volatile Consumer<String> plainHttpWarnings;
    private volatile Instant plainHttpWarned = Instant.MIN;

    public ServiceClient(URI server) {
        this(server, ServerTrust.system(), REQUEST_DEADLINE);
    }

    public ServiceClient(URI server, ServerTrust trust) {
        this(server, trust, REQUEST_DEADLINE);
    }

    /** {@code deadline}: shorter in tests. */
    public ServiceClient(URI server, ServerTrust trust, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the request deadline must be positive: " + deadline);
        }
        this.server = server;
        this.trust = trust;
        this.deadline = deadline;
    }

    /**
     * Has a request to a plain {@code http://} server say so to {@code warnings} at most once a day: what an agent
     * started with {@code --insecure-http} sends crosses the network in clear.
     */
    public ServiceClient warnDailyOfPlainHttp(Consumer<String> warnings) {
        this.plainHttpWarnings = warnings;
        return this;
    }

    private void warnOfPlainHttpWhenDue() {
        Consumer<String> warnings = plainHttpWarnings;
        Instant now = Instant.now();
        if (warnings != null && "http".equalsIgnoreCase(server.getScheme())
                && !now.isBefore(plainHttpWarned.plus(PLAIN_HTTP_WARNING_EVERY))) {
            plainHttpWarned = now;
            warnings.accept("warning: plain http to " + server + " (--insecure-http): the enroll secret and the node "
                    + "key cross the network in clear");
        }
    }

    private static ThreadPoolExecutor requestThreads() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "vdso-agent-request");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The service refused a request or could not be reached. {@code status} is the HTTP status, 0 when no answer
     * came; {@code retryAfter} the answer's Retry-After, when it had one.
     */
    public static final class ServiceException extends Exception {
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

    public EnrollResponse enroll(EnrollRequest request) throws ServiceException {
        return send("POST", "/agent/enroll", null, AgentJson.write(request), "application/json", EnrollResponse.class);
    }

    public ReportResponse report(String nodeKey, ReportRequest report) throws ServiceException {
        return send("POST", "/agent/reports", nodeKey, AgentJson.write(report), "application/json",
                ReportResponse.class);
    }

    public ImageReceipt upload(String nodeKey, String sha256, byte[] bytes) throws ServiceException {
        return send("PUT", "/agent/images/" + sha256, nodeKey, bytes, "application/octet-stream", ImageReceipt.class);
    }

    private <T> T send(String method, String path, String bearer, byte[] body, String contentType, Class<T> answer)
            throws ServiceException {
        warnOfPlainHttpWhenDue();
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
        HttpURLConnection connection;
        try {
            // no I/O yet: the socket is opened by the request
            URLConnection opened = uri.toURL().openConnection();
            if (!(opened instanceof HttpURLConnection http)) {
                throw new IOException("not an http or https URL");
            }
            connection = http;
            if (connection instanceof HttpsURLConnection https && trust.socketFactory() != null) {
                https.setSSLSocketFactory(trust.socketFactory());
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a URL HttpURLConnection cannot open (not http or https)
            throw unreachable(method, uri, e.toString(), e);
        }
        Future<Answer> request = REQUESTS.submit(() -> exchange(connection, method, bearer, body, contentType));
        try {
            return request.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            connection.disconnect();
            throw unreachable(method, uri, reason(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            abandon(connection);
            throw unreachable(method, uri, deadlinePassed(), e);
        } catch (InterruptedException e) {
            abandon(connection);
            Thread.currentThread().interrupt();
            throw unreachable(method, uri, "interrupted", e);
        }
    }

    /**
     * Disconnects a request still running, on a thread of its own: disconnecting waits for a read in progress when
     * the answer comes in chunks. The request then fails once its blocked read returns.
     */
    private static void abandon(HttpURLConnection connection) {
        REQUESTS.execute(connection::disconnect);
    }

    private static Answer exchange(HttpURLConnection connection, String method, String bearer, byte[] body,
            String contentType) throws IOException {
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
        // a connection whose answer was read to the end stays open for the next request (keep-alive)
        try (InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES), retryAfter);
        }
    }

    /** Why a request failed, in a line: TLS failures say what of the server's certificate was refused. */
    private static String reason(Throwable failure) {
        if (failure instanceof SSLHandshakeException handshake) {
            Throwable cause = handshake;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            boolean certificate = cause instanceof CertificateException || handshake.getMessage() != null
                    && handshake.getMessage().contains("PKIX");
            return (certificate ? "the server's certificate is not trusted: " : "TLS handshake failed: ")
                    + Objects.requireNonNullElse(cause.getMessage(), handshake.getMessage());
        }
        if (failure instanceof SSLException tls) {
            return "TLS failed: " + tls.getMessage() + (String.valueOf(tls.getMessage()).contains("plaintext")
                    || String.valueOf(tls.getMessage()).contains("Unsupported or unrecognized SSL message")
                    ? " (does the server serve plain http? then use an http:// URL)" : "");
        }
        return failure.toString();
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
