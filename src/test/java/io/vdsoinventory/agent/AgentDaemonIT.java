package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.protocol.Sha256;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged agent daemon against the packaged server (embedded PostgreSQL), both real processes: enrolment,
 * first report with upload, heartbeats without; then an outage during which the agent observes two image changes
 * and is restarted with another label; after the server returns, every change reaches the host's timeline exactly
 * once and in order, and the spool is empty.
 */
class AgentDaemonIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Generous: the build machine is shared, and the server starts an embedded PostgreSQL. */
    private static final Duration STARTUP = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @AfterEach
    void stopEverything() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void observationsSurviveAnOutageAndAnAgentRestartAndArriveOnceInOrder() throws Exception {
        port = freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path state = dir.resolve("state");
        Path image = dir.resolve("vdso.so");
        byte[] imageA = LinuxHost.captureVdso().map(CapturedVdso::bytes).orElseThrow();
        byte[] imageB = imageA.clone();
        imageB[imageB.length - 1] ^= 0x5a; // a byte of page padding: still a parseable vDSO, another image
        Files.write(image, imageA);

        Process server = startServer(data);
        Path agentLog = dir.resolve("agent-1.log");
        Process agent = startAgent(state, image, "phase=one", agentLog);
        awaitLog(agentLog, "uploaded image " + Sha256.of(imageA));
        long hostId = hostId(agentLog);
        String firstSeen = host(hostId).path("lastSeen").asString();
        await("a heartbeat moves lastSeen", () -> !host(hostId).path("lastSeen").asString().equals(firstSeen));
        assertThat(count(agentLog, "uploaded image")).as("heartbeats upload nothing").isEqualTo(1);
        assertThat(host(hostId).path("vdso").path("status").asString()).isEqualTo("ANALYZED");

        stop(server);
        awaitLog(agentLog, "outage started");
        Files.write(image, imageB);
        awaitLog(agentLog, "change detected: image " + Sha256.of(imageA) + " -> " + Sha256.of(imageB));
        assertThat(stop(agent)).as("SIGTERM exit status").isZero();
        assertThat(Files.readString(agentLog)).contains("stopped");

        Path secondLog = dir.resolve("agent-2.log");
        Process restarted = startAgent(state, image, "phase=two", secondLog);
        awaitLog(secondLog, "observing kernel");
        Files.write(image, imageA);
        awaitLog(secondLog, "change detected: image " + Sha256.of(imageB) + " -> " + Sha256.of(imageA));

        startServer(data);
        awaitLog(secondLog, "outage ended");
        await("the spool is drained", () -> spooled(state) == 0);

        List<String> timeline = new ArrayList<>();
        for (JsonNode event : events(hostId)) {
            if (event.path("kind").asString().startsWith("FINDING_")) {
                continue; // detection's verdicts on the images (image B has non-zero padding), not observations
            }
            JsonNode to = event.path("detail").get("to");
            timeline.add(event.path("kind").asString() + (to == null ? "" : " " + to));
        }
        assertThat(timeline).containsExactly(
                "ENROLLED",
                "FIRST_REPORT",
                "IMAGE_CHANGED \"" + Sha256.of(imageB) + "\"",
                "LABELS_CHANGED {\"phase\":\"two\"}",
                "IMAGE_CHANGED \"" + Sha256.of(imageA) + "\"");
        assertThat(count(secondLog, "uploaded image " + Sha256.of(imageB))).as("B asked for once, from the spool")
                .isEqualTo(1);
        assertThat(stop(restarted)).isZero();
    }

    private Process startServer(Path data) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx384m", "-jar", jar(), "server",
                "--vdso.self-report.enabled=false")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("VDSO_DATA_DIR", data.toString());
        Process server = builder.start();
        started.add(server);
        await("the server answers", () -> {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + ": " + serverLogTail());
            }
            HttpResponse<String> health = get("/actuator/health", null);
            return health != null && health.statusCode() == 200;
        });
        return server;
    }

    private Process startAgent(Path state, Path image, String label, Path log) throws IOException {
        Process agent = new ProcessBuilder(java(), "-Xmx32m", "-XX:+UseSerialGC", "-jar", jar(), "agent", "run",
                "--server=http://127.0.0.1:" + port, "--enroll-secret-file=" + dir.resolve("data/enroll-secret"),
                "--state-dir=" + state, "--interval=1s", "--check-every=200ms", "--max-backoff=1s",
                "--host-key=agent-daemon-it", "--image=" + image, "--label=" + label)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(agent);
        return agent;
    }

    private static int stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " did not stop on SIGTERM");
        }
        return process.exitValue();
    }

    private long hostId(Path log) throws IOException {
        String text = Files.readString(log);
        int at = text.indexOf("enrolled as host ") + "enrolled as host ".length();
        return Long.parseLong(text.substring(at, text.indexOf('\n', at)).strip());
    }

    private JsonNode host(long id) {
        return JSON.readTree(get("/hosts/" + id, adminToken()).body());
    }

    private List<JsonNode> events(long id) {
        List<JsonNode> events = new ArrayList<>();
        JSON.readTree(get("/hosts/" + id + "/events?limit=100", adminToken()).body()).path("items").forEach(events::add);
        return events;
    }

    private String adminToken() {
        try {
            return Files.readString(dir.resolve("data/admin-token")).strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The answer, or null when the server is not listening. */
    private HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
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

    private static long spooled(Path state) {
        try (var files = Files.list(state.resolve("spool"))) {
            return files.filter(file -> file.toString().endsWith(".obs")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(Path log, String text) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).lines().filter(line -> line.contains(text)).count();
    }

    private void awaitLog(Path log, String text) throws InterruptedException {
        await("log " + log.getFileName() + " says '" + text + "'", () -> {
            try {
                return Files.readString(log, StandardCharsets.UTF_8).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what + "; server log: " + serverLogTail());
    }

    private String serverLogTail() {
        try {
            String log = Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
            return log.substring(Math.max(0, log.length() - 2000));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        return System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar");
    }
}
