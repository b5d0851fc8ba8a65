package io.vdsoinventory.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged server ({@code java -jar target/vdso-inventory.jar server}, embedded PostgreSQL) as a real process
 * for the agent ITs, on a free port with its data directory under the test's: start, stop, start again on the same
 * port and data, and read its API as the admin. It runs as a user's first start does: HTTPS with the certificate
 * of the CA it generates into {@code data/ca.pem}, which this client and the agents it starts trust
 * ({@link #trustOption()}); {@link #start(Path, Map)} adds settings (environment variables).
 */
final class ServerProcess implements AutoCloseable {

    /** How long a start or any awaited condition may take: the build machine is shared and loaded. */
    static final Duration ALLOWANCE = Duration.ofSeconds(300);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path data;
    private final Path log;
    private final int port;
    private final Map<String, String> settings;
    private HttpClient http;
    private Process process;

    private ServerProcess(Path dir, Map<String, String> settings) throws IOException {
        this.data = Files.createDirectories(dir.resolve("data"));
        this.log = dir.resolve("server.log");
        this.port = freePort();
        this.settings = Map.copyOf(settings);
    }

    /** A server started in {@code dir} with its defaults and answering its health check. */
    static ServerProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, Map.of());
    }

    /** A server started in {@code dir} with {@code environment} added and answering its health check. */
    static ServerProcess start(Path dir, Map<String, String> environment) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(dir, environment);
        server.start();
        return server;
    }

    /** Whether it serves plain HTTP (started with {@code VDSO_TLS_ENABLED=false}). */
    private boolean plain() {
        return "false".equals(settings.get("VDSO_TLS_ENABLED"));
    }

    /** Starts the server (again) and waits until it answers. */
    void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx384m", "-jar", jar(), "server",
                "--vdso.self-report.enabled=false")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("VDSO_DATA_DIR", data.toString());
        builder.environment().putAll(settings);
        Process started = builder.start();
        process = started;
        await("the server answers", () -> {
            if (!started.isAlive()) {
                throw new AssertionError("the server exited with " + started.exitValue() + ": " + logTail());
            }
            HttpResponse<String> health = get("/actuator/health", null);
            return health != null && health.statusCode() == 200;
        });
    }

    /** Stops the server (SIGTERM) and waits for it to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server " + process.pid() + " did not stop on SIGTERM");
        }
    }

    /** Kills the server as a crash or an OOM kill would (SIGKILL: no shutdown hook runs) and waits for its end. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server " + process.pid() + " did not end on SIGKILL");
        }
    }

    /** The data directory. */
    Path data() {
        return data;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    String url() {
        return (plain() ? "http" : "https") + "://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /**
     * What a client trusts: the CA certificate the server generated at its first start, or the certificate it was
     * given ({@code VDSO_TLS_CERTIFICATE}, self-signed in the tests).
     */
    Path caFile() {
        String given = settings.get("VDSO_TLS_CERTIFICATE");
        return given != null ? Path.of(given) : data.resolve("ca.pem");
    }

    /** The agent option that trusts this server's CA. */
    String trustOption() {
        return "--ca-file=" + caFile();
    }

    /** Everything the server logged so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** A TLS context trusting exactly the server's generated CA. */
    SSLContext trustingItsCa() {
        try (InputStream in = Files.newInputStream(caFile())) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot read the server's CA " + caFile() + ": " + e, e);
        }
    }

    /** The client of the admin API: trusts the CA once the server has written it. */
    private HttpClient http() {
        if (http == null) {
            if (!plain() && !Files.exists(caFile())) {
                return null; // not created yet
            }
            http = plain() ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(trustingItsCa()).build();
        }
        return http;
    }

    /** The file holding the enroll secret the server generated. */
    Path enrollSecretFile() {
        return data.resolve("enroll-secret");
    }

    /** {@code GET path} as the admin, parsed. */
    JsonNode read(String path) {
        HttpResponse<String> response = get(path, adminToken());
        if (response == null || response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + (response == null ? "nothing" : response.statusCode()
                    + " " + response.body()));
        }
        return JSON.readTree(response.body());
    }

    /** Polls {@code condition} for up to {@link #ALLOWANCE}; fails with the server log's tail. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(ALLOWANCE);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what + "; server log: " + logTail());
    }

    private String adminToken() {
        try {
            return Files.readString(data.resolve("admin-token")).strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The answer, or null when the server is not listening. */
    private HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpClient client = http();
        if (client == null) {
            return null;
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // not listening (yet, or any more)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar() {
        return System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar");
    }
}
