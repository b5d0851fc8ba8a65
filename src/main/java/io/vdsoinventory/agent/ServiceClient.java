package io.vdsoinventory.agent;

import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.protocol.ImageReceipt;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's side of the protocol in openapi.yaml, over java.net.http. Every failure (unreachable service,
 * refused request, unexpected answer) is one {@link ServiceException} whose message is a single line naming the
 * request and, for a refusal, the service's problem detail.
 */
final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final HttpClient http;
    private final JsonMapper json;

    ServiceClient(URI server) {
        this.server = server;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
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
        return send("POST", "/agent/enroll", null, jsonBody(request), "application/json", EnrollResponse.class);
    }

    ReportResponse report(String nodeKey, ReportRequest report) throws ServiceException {
        return send("POST", "/agent/reports", nodeKey, jsonBody(report), "application/json", ReportResponse.class);
    }

    ImageReceipt upload(String nodeKey, String sha256, byte[] bytes) throws ServiceException {
        return send("PUT", "/agent/images/" + sha256, nodeKey, HttpRequest.BodyPublishers.ofByteArray(bytes),
                "application/octet-stream", ImageReceipt.class);
    }

    private HttpRequest.BodyPublisher jsonBody(Object body) {
        return HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
    }

    private <T> T send(String method, String path, String bearer, HttpRequest.BodyPublisher body, String contentType,
            Class<T> answer) throws ServiceException {
        URI uri = server.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .method(method, body);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServiceException(method + " " + uri + ": cannot reach the service: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(method + " " + uri + ": interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ServiceException(method + " " + path + ": " + response.statusCode() + " " + problem(response),
                    response.statusCode(), response.headers().firstValue("Retry-After")
                            .flatMap(value -> RetryAfter.parse(value, Instant.now())));
        }
        try {
            return json.readValue(response.body(), answer);
        } catch (JacksonException e) {
            throw new ServiceException(method + " " + path + ": unexpected answer: " + e.getOriginalMessage(),
                    response.statusCode(), Optional.empty());
        }
    }

    /** "title: detail" of a problem+json answer, else the start of the body. */
    private String problem(HttpResponse<String> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            if (problem.hasNonNull("detail")) {
                return problem.path("title").asString("") + ": " + problem.path("detail").asString();
            }
        } catch (JacksonException e) {
            // not JSON: show what came back
        }
        String body = response.body().strip().replaceAll("\\s+", " ");
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
