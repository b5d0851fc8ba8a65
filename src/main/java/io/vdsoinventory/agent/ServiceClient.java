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

/**
 * The agent's side of the protocol in openapi.yaml, over {@link HttpURLConnection} (http or https): unlike
 * java.net.http it does not load an asynchronous client and the TLS stack for a plain http service, which keeps
 * the daemon's resident memory small. Answers are read up to {@value #MAX_ANSWER_BYTES} bytes. Every failure
 * (unreachable service, refused request, unexpected answer) is one {@link ServiceException} whose message is a single line naming the
 * request and, for a refusal, the service's problem detail.
 */
final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The service's answers are small JSON documents; anything longer is not one of them. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final URI server;

    ServiceClient(URI server) {
        this.server = server;
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
        URI uri = server.resolve(path);
        int status;
        byte[] received;
        Optional<String> retryAfter;
        HttpURLConnection connection = null;
        try {
            URLConnection opened = uri.toURL().openConnection();
            if (!(opened instanceof HttpURLConnection http)) {
                throw new IOException("not an http or https URL");
            }
            connection = http;
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
            status = connection.getResponseCode();
            retryAfter = Optional.ofNullable(connection.getHeaderField("Retry-After"));
            try (InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
                received = in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES);
            }
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a URL HttpURLConnection cannot open (not http or https)
            if (connection != null) {
                connection.disconnect();
            }
            throw new ServiceException(method + " " + uri + ": cannot reach the service: " + e, e);
        }
        // a connection whose answer was read to the end stays open for the next request (keep-alive)
        if (status / 100 != 2) {
            throw new ServiceException(method + " " + path + ": " + status + " " + problem(received), status,
                    retryAfter.flatMap(value -> RetryAfter.parse(value, Instant.now())));
        }
        try {
            return AgentJson.read(received, answer);
        } catch (AgentJson.MalformedJsonException e) {
            throw new ServiceException(method + " " + path + ": unexpected answer: " + e.getMessage(), status,
                    Optional.empty());
        }
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
