package io.vdsoinventory.server;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the service tests: one Spring context on one embedded PostgreSQL per test JVM (every subclass shares
 * this configuration, so Spring's context cache reuses it), a real port, and every response validated against
 * openapi.yaml. Tests isolate themselves by unique host keys and labels rather than by cleaning tables.
 */
@SpringBootTest(classes = ServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vdso.self-report.enabled=false", "vdso.enroll-secret=", "vdso.admin-token="})
public abstract class ServiceTestSupport {

    private static final Path DATA_DIR = createDataDir();

    /** Checks responses only: the bad-input tests send invalid requests on purpose. */
    private static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(Path.of("openapi.yaml").toUri().toString())
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            .build())
                    .build());

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("vdso.data-dir", DATA_DIR::toString);
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("vdso-service-tests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    /** A request to the running service whose response must match openapi.yaml. */
    protected RequestSpecification api() {
        return given().port(port).filter(CONTRACT);
    }

    protected RequestSpecification api(String bearer) {
        return api().header("Authorization", "Bearer " + bearer);
    }

    protected static String adminToken() {
        return read(DATA_DIR.resolve("admin-token"));
    }

    protected static String enrollSecret() {
        return read(DATA_DIR.resolve("enroll-secret"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token of {@code role} issued through the admin API. */
    protected String token(String role) {
        return api(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "test " + role, "role", role))
                .post("/tokens")
                .then().statusCode(201)
                .extract().path("token");
    }

    /** An enrolled agent: its host id and node key. */
    protected record Agent(long hostId, String nodeKey) {
    }

    protected Agent enroll(String hostKey, String hostname) {
        var response = api().contentType(ContentType.JSON)
                .body(Map.of("enrollSecret", enrollSecret(), "hostKey", hostKey, "hostname", hostname))
                .post("/agent/enroll")
                .then().statusCode(200)
                .extract();
        return new Agent(((Number) response.path("hostId")).longValue(), response.path("nodeKey"));
    }

    /** A report body: host {@code hostname} on {@code release}, running image {@code sha256}. */
    protected static Map<String, Object> report(String hostname, String release, String sha256,
            Map<String, String> labels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reportId", UUID.randomUUID().toString());
        body.put("hostname", hostname);
        body.put("labels", labels);
        body.put("kernel", Map.of("release", release, "version", "#1 SMP PREEMPT_DYNAMIC", "arch", "x86_64",
                "bootId", "boot-1"));
        body.put("vdso", Map.of("sha256", sha256, "size", 8192));
        return body;
    }

    protected long count(String sql, Map<String, ?> params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    protected static String uniqueKey() {
        return UUID.randomUUID().toString();
    }
}
