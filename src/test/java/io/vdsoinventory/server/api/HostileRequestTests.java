package io.vdsoinventory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.vdsoinventory.server.ServiceTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a hostile or broken client gets from every endpoint of openapi.yaml, one class of hostile input per test:
 * a problem+json 4xx (naming the field or parameter where one is at fault), never a 500, an HTML page or a
 * framework's internals, and nothing written. Requests go over a raw socket, as an attacker sends them (an HTTP
 * client library would refuse or repair most of them).
 */
class HostileRequestTests extends ServiceTestSupport {

    private static final OpenAPI CONTRACT = contract();
    private static final JsonMapper JSON = JsonMapper.shared();
    /** The tables a request could write; their row counts must not move. */
    private static final List<String> TABLES = List.of("hosts", "host_events", "reports", "images", "findings",
            "image_trust", "reference_images", "api_tokens", "node_keys", "kernels");

    private String admin;
    private String nodeKey;

    @BeforeEach
    void credentials() {
        admin = adminToken();
        nodeKey = enroll(uniqueKey(), "hostile").nodeKey();
    }

    private static OpenAPI contract() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        return new OpenAPIV3Parser().read("openapi.yaml", null, options);
    }

    /** One operation of the contract. */
    record Endpoint(String method, String path, Operation operation) {

        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The path with every path parameter replaced by {@code value} (raw, as sent). */
        String target(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }

        /** The path with plausible values: host and finding ids, a sha256. */
        String target() {
            return path.replace("{id}", "1").replace("{sha256}", "0".repeat(64));
        }

        boolean agent() {
            return path.startsWith("/agent/");
        }
    }

    static Stream<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        CONTRACT.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> endpoints.add(new Endpoint(method.name(), path, operation))));
        return endpoints.stream();
    }

    /** Every query parameter of every operation, with each hostile encoding. */
    static Stream<Arguments> queryParameters() {
        return endpoints().flatMap(endpoint -> parameters(endpoint).stream()
                .filter(parameter -> "query".equals(parameter.getIn()))
                .flatMap(parameter -> Stream.of("a%00b", "%ff%fe", "%c0%80", "%zz")
                        .map(value -> Arguments.of(endpoint, parameter.getName(), value))));
    }

    private static List<Parameter> parameters(Endpoint endpoint) {
        return endpoint.operation().getParameters() == null ? List.of() : endpoint.operation().getParameters();
    }

    /** Every leaf field of every JSON request body, with a hostile value for its type. */
    static Stream<Arguments> bodyFields() {
        List<Arguments> cases = new ArrayList<>();
        endpoints().forEach(endpoint -> {
            if (endpoint.operation().getRequestBody() == null) {
                return;
            }
            MediaType json = endpoint.operation().getRequestBody().getContent().get("application/json");
            if (json == null) {
                return;
            }
            leaves(json.getSchema(), "", (field, schema) -> {
                for (Object hostile : hostileValues(schema)) {
                    cases.add(Arguments.of(endpoint, field, hostile));
                }
            });
        });
        return cases.stream();
    }

    private interface LeafVisitor {
        void visit(String field, Schema<?> schema);
    }

    private static void leaves(Schema<?> schema, String prefix, LeafVisitor visitor) {
        if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
            // a readOnly property is the service's output, not request input (a request's copy is ignored)
            schema.getProperties().entrySet().stream()
                    .filter(property -> !Boolean.TRUE.equals(property.getValue().getReadOnly()))
                    .forEach(property -> leaves(property.getValue(),
                            prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey(), visitor));
        } else if (schema.getItems() != null) {
            leaves(schema.getItems(), prefix + "[0]", visitor);
        } else {
            visitor.visit(prefix, schema);
        }
    }

    /** Values that are not of the field's type, or text holding NUL. */
    private static List<Object> hostileValues(Schema<?> schema) {
        String type = schema.getType() != null ? schema.getType()
                : schema.getTypes() != null && !schema.getTypes().isEmpty() ? schema.getTypes().iterator().next() : null;
        if (type == null) {
            return List.of();
        }
        return switch (type) {
            case "string" -> schema.getEnum() != null ? List.of(1, true) : List.of("bad\u0000value", 42, false);
            case "integer" -> List.of(1.5, "7", true);
            case "number" -> List.of("7", true);
            case "boolean" -> List.of("true", 1);
            case "object" -> List.of(Map.of("k\u0000ey", "v"), Map.of("key", "v\u0000"));
            default -> List.of();
        };
    }

    /** The JSON object with {@code value} at {@code field} ({@code a.b}, {@code a[0].b}) and nothing else. */
    private static Object bodyWith(String field, Object value) {
        String[] parts = field.split("\\.", 2);
        String name = parts[0];
        boolean list = name.endsWith("[0]");
        if (list) {
            name = name.substring(0, name.length() - 3);
        }
        Object inner = parts.length == 1 ? value : bodyWith(parts[1], value);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put(name, list ? List.of(inner) : inner);
        return object;
    }

    @ParameterizedTest(name = "{0} ?{1}={2}")
    @MethodSource("queryParameters")
    void queryParameterWhenNotUtf8TextWithoutNulThen400NamingIt(Endpoint endpoint, String parameter, String value)
            throws IOException {
        Answer answer = send(endpoint.method(), endpoint.target() + "?" + parameter + "=" + value,
                credentials(endpoint), null, null);

        answer.assertProblem(400);
        assertThat(answer.json().path("parameter").asString()).isEqualTo(parameter);
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("bodyFields")
    void bodyFieldWhenOfAnotherTypeOrHoldingNulThen400NamingItAndNothingWritten(Endpoint endpoint, String field,
            Object value) throws IOException {
        Map<String, Long> before = rows();
        byte[] body = JSON.writeValueAsBytes(bodyWith(field, value));

        Answer answer = send(endpoint.method(), endpoint.target(), credentials(endpoint), "application/json", body);

        answer.assertProblem(400);
        // a map's bad key or value is named below the map's field (labels.key)
        assertThat(answer.json().path("parameter").asString()).as(field + "=" + value + ": " + answer)
                .startsWith(field);
        assertThat(answer.json().path("detail").asString()).doesNotContain("java.", "tools.jackson", "`");
        assertThat(rows()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void pathParameterWhenEncodedNulOrDotDotThenProblemNotHtml(Endpoint endpoint) throws IOException {
        if (!endpoint.path().contains("{")) {
            return;
        }
        for (String value : List.of("%00", "..%2f..%2fetc", "%2e%2e", "a%00b")) {
            Answer answer = send(endpoint.method(), endpoint.target(value), credentials(endpoint), null, null);
            answer.assertProblemStatusBetween(400, 404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void headersWhenOverLongOrTooManyThen400Problem(Endpoint endpoint) throws IOException {
        Answer longHeader = send(endpoint.method(), endpoint.target(), credentials(endpoint), null, null,
                "X-Filler: " + "a".repeat(20_000));
        longHeader.assertProblemStatusBetween(400, 431);

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : "\r\n").append("X-Filler-").append(i).append(": ").append("b".repeat(60));
        }
        Answer manyHeaders = send(endpoint.method(), endpoint.target(), credentials(endpoint), null, null,
                many.toString());
        manyHeaders.assertProblemStatusBetween(400, 431);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void traceWhenSentThen405Problem(Endpoint endpoint) throws IOException {
        send("TRACE", endpoint.target(), credentials(endpoint), null, null).assertProblem(405);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void requestLineWhenInvalidThen400Problem(Endpoint endpoint) throws IOException {
        // a raw space and a control character in the target: Tomcat refuses before any servlet runs
        send(endpoint.method(), endpoint.target() + "?a=b\u0001c", credentials(endpoint), null, null)
                .assertProblem(400);
    }

    /** What each endpoint authenticates with: nothing (enrolment), a node key (agents) or an admin token. */
    private @Nullable String credentials(Endpoint endpoint) {
        if (endpoint.path().equals("/agent/enroll")) {
            return null;
        }
        return endpoint.agent() ? nodeKey : admin;
    }

    private Map<String, Long> rows() {
        Map<String, Long> rows = new LinkedHashMap<>();
        TABLES.forEach(table -> rows.put(table, count("SELECT count(*) FROM " + table, Map.of())));
        return rows;
    }

    /** A raw answer: status line, headers, body. */
    record Answer(String request, int status, Map<String, String> headers, String body) {

        @Nullable String contentType() {
            return headers.get("content-type");
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        void assertProblem(int expected) {
            assertThat(status).as(toString()).isEqualTo(expected);
            assertProblemBody();
        }

        void assertProblemStatusBetween(int low, int high) {
            assertThat(status).as(toString()).isBetween(low, high);
            assertProblemBody();
        }

        private void assertProblemBody() {
            assertThat(contentType()).as(toString()).startsWith("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("status").asInt()).as(toString()).isEqualTo(status);
            assertThat(problem.path("type").asString()).as(toString()).startsWith("urn:vdso-inventory:problem:");
            assertThat(body).as(toString()).doesNotContain("Tomcat", "<html", "Exception", "at org.", "at java.");
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + headers.get("content-type") + " "
                    + (body.length() > 300 ? body.substring(0, 300) : body);
        }
    }

    private Answer send(String method, String target, @Nullable String bearer, @Nullable String contentType,
            byte @Nullable [] body, String... extraHeaders) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (bearer != null) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(method + " " + target, response);
        }
    }

    private static Answer parse(String request, String response) {
        int end = response.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? response : response.substring(0, end)).split("\r\n");
        int status = lines.length > 0 && lines[0].startsWith("HTTP/1.1 ") ? Integer.parseInt(lines[0].substring(9, 12))
                : -1;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).toLowerCase(), lines[i].substring(colon + 1).strip());
            }
        }
        String body = end < 0 ? "" : response.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(request, status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
