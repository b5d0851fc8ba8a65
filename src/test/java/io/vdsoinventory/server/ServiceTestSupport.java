package io.vdsoinventory.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.vdso.ImageFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        // the tests of refusals send unknown tokens from 127.0.0.1 in any order: the throttle has its own IT;
        // plain HTTP on the loopback: TLS, the default, has its own tests (server.tls, agent.TlsIT)
        properties = {"vdso.self-report.enabled=false", "vdso.tls.enabled=false", "vdso.enroll-secret=", "vdso.admin-token=",
                "vdso.security.auth-failure-limit=1000000"})
public abstract class ServiceTestSupport {

    private static final int EM_X86_64 = 62;
    private static final Path DATA_DIR = createDataDir();
    /** Receives the webhooks of every finding the tests open (critical and high). */
    protected static final WebhookReceiver WEBHOOKS = WebhookReceiver.start();

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
        registry.add("vdso.detection.webhooks.urls", WEBHOOKS::url);
        registry.add("vdso.detection.webhooks.secret", () -> WebhookReceiver.SECRET);
        registry.add("vdso.detection.webhooks.interval", () -> "200ms");
        registry.add("vdso.detection.webhooks.initial-backoff", () -> "300ms");
    }

    private static Path createDataDir() {
        try {
            // under target/ so that `mvn clean` removes the embedded database of every run
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "service-tests-");
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

    /** A token of {@code role} issued through the admin API (token names are unique). */
    protected String token(String role) {
        return api(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "test " + role + " " + uniqueKey(), "role", role))
                .post("/tokens")
                .then().statusCode(201)
                .extract().path("token");
    }

    /** An enrolled agent: its host id and node key. */
    public record Agent(long hostId, String nodeKey) {
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

    /**
     * A vDSO-like x86_64 image with a random build-id (so every call is a distinct image) exporting
     * {@code __vdso_clock_gettime}, {@code __vdso_gettimeofday}, {@code __vdso_time} and {@code extraFunctions}
     * in LINUX_2.6.
     */
    protected static byte[] vdsoImage(String... extraFunctions) {
        byte[] buildId = new byte[20];
        ThreadLocalRandom.current().nextBytes(buildId);
        ElfImageBuilder builder = ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, EM_X86_64).versions("LINUX_2.6")
                .symbol(ElfImageBuilder.SymbolSpec.absolute("LINUX_2.6", "LINUX_2.6"))
                .buildId(buildId);
        List<String> names = new ArrayList<>(List.of("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time"));
        names.addAll(List.of(extraFunctions));
        names.forEach(name -> builder.symbol(ElfImageBuilder.SymbolSpec.function(name, "LINUX_2.6")));
        return builder.build().bytes();
    }

    /** Reports {@code image} from {@code agent} and uploads its bytes when the service asks for them. */
    protected void reportImage(Agent agent, String hostname, String release, byte[] image, Map<String, String> labels) {
        Map<String, Object> body = report(hostname, release, Sha256.of(image), labels);
        body.put("vdso", ImageFacts.of(image));
        boolean needed = api(agent.nodeKey()).contentType(ContentType.JSON).body(body).post("/agent/reports")
                .then().statusCode(200).extract().path("imageNeeded");
        if (needed) {
            api(agent.nodeKey()).contentType("application/octet-stream").body(image)
                    .put("/agent/images/{sha}", Sha256.of(image))
                    .then().statusCode(201).body("status", equalTo("ANALYZED"));
        }
    }

    /** An enrolled host that reported once, labelled {@code fleet=<fleet>}. */
    protected Agent reportedHost(String hostname, String fleet) {
        Agent agent = enroll(uniqueKey(), hostname);
        api(agent.nodeKey()).contentType(ContentType.JSON)
                .body(report(hostname, "6.1.0", Sha256.of(fleet.getBytes(StandardCharsets.UTF_8)), Map.of("fleet", fleet)))
                .post("/agent/reports").then().statusCode(200);
        return agent;
    }

    /** The ids of the hosts of {@code GET /hosts} with {@code filters} (one page of up to 1,000). */
    protected List<Long> hostIds(String token, Map<String, String> filters) {
        return api(token).queryParams(filters).queryParam("limit", 1000).get("/hosts")
                .then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
    }

    protected long count(String sql, Map<String, ?> params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    protected static String uniqueKey() {
        return UUID.randomUUID().toString();
    }
}
