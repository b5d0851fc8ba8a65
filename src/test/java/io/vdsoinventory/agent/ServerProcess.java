package io.vdsoinventory.agent;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged server ({@code java -jar target/vdso-inventory.jar server}, embedded PostgreSQL) as a real process
 * for the agent ITs, on a free port with its data directory under the test's: start, stop, start again on the same
 * port and data, and read its API as the admin.
 */
final class ServerProcess implements AutoCloseable {

    /** How long a start or any awaited condition may take: the build machine is shared and loaded. */
    static final Duration ALLOWANCE = Duration.ofSeconds(300);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path data;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private ServerProcess(Path dir) throws IOException {
        this.data = Files.createDirectories(dir.resolve("data"));
        this.log = dir.resolve("server.log");
        this.port = freePort();
    }

    /** A server started in {@code dir} and answering its health check. */
    static ServerProcess start(Path dir) throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(dir);
        server.start();
        return server;
    }

    /** Starts the server (again) and waits until it answers. */
    void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx384m", "-jar", jar(), "server",
                "--vdso.self-report.enabled=false")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("VDSO_DATA_DIR", data.toString());
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

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
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
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
