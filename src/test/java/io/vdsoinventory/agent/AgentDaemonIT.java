package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.protocol.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged agent daemon against the packaged server (embedded PostgreSQL), both real processes: enrolment,
 * first report with upload, heartbeats without; then an outage during which the agent observes two image changes
 * and is restarted with another label; after the server returns, every change reaches the host's timeline exactly
 * once and in order, at the time the agent observed it (not when it was delivered), and the spool is empty.
 */
class AgentDaemonIT {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private ServerProcess server;

    @AfterEach
    void stopEverything() {
        started.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void observationsSurviveAnOutageAndAnAgentRestartAndArriveOnceInOrder() throws Exception {
        Path state = dir.resolve("state");
        Path image = dir.resolve("vdso.so");
        byte[] imageA = LinuxHost.captureVdso().map(CapturedVdso::bytes).orElseThrow();
        byte[] imageB = imageA.clone();
        imageB[imageB.length - 1] ^= 0x5a; // a byte of page padding: still a parseable vDSO, another image
        Files.write(image, imageA);

        server = ServerProcess.start(dir);
        Path agentLog = dir.resolve("agent-1.log");
        Process agent = startAgent(state, image, "phase=one", agentLog);
        awaitLog(agentLog, "uploaded image " + Sha256.of(imageA));
        long hostId = hostId(agentLog);
        String firstSeen = host(hostId).path("lastSeen").asString();
        server.await("a heartbeat moves lastSeen", () -> !host(hostId).path("lastSeen").asString().equals(firstSeen));
        assertThat(count(agentLog, "uploaded image")).as("heartbeats upload nothing").isEqualTo(1);
        assertThat(host(hostId).path("vdso").path("status").asString()).isEqualTo("ANALYZED");
        assertThat(host(hostId).path("hostname").asString()).as("--hostname, as a DaemonSet names its node")
                .isEqualTo("daemon-it-node");

        server.stop();
        awaitLog(agentLog, "outage started");
        Instant changed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Files.write(image, imageB);
        awaitLog(agentLog, "change detected: image " + Sha256.of(imageA) + " -> " + Sha256.of(imageB));
        assertThat(stop(agent)).as("SIGTERM exit status").isZero();
        assertThat(Files.readString(agentLog)).contains("stopped");

        Path secondLog = dir.resolve("agent-2.log");
        Process restarted = startAgent(state, image, "phase=two", secondLog);
        awaitLog(secondLog, "observing kernel");
        Files.write(image, imageA);
        awaitLog(secondLog, "change detected: image " + Sha256.of(imageB) + " -> " + Sha256.of(imageA));

        Instant back = Instant.now();
        server.start();
        awaitLog(secondLog, "outage ended");
        server.await("the spool is drained", () -> spooled(state) == 0);

        List<String> timeline = new ArrayList<>();
        List<JsonNode> observedInOutage = new ArrayList<>();
        for (JsonNode event : server.read("/hosts/" + hostId + "/events?limit=100").path("items")) {
            if (event.path("kind").asString().startsWith("FINDING_")) {
                continue; // detection's verdicts on the images (image B has non-zero padding), not observations
            }
            JsonNode to = event.path("detail").get("to");
            timeline.add(event.path("kind").asString() + (to == null ? "" : " " + to));
            if (!Instant.parse(event.path("at").asString()).isBefore(changed)) {
                observedInOutage.add(event);
            }
        }
        assertThat(timeline).containsExactly(
                "ENROLLED",
                "FIRST_REPORT",
                "IMAGE_CHANGED \"" + Sha256.of(imageB) + "\"",
                "LABELS_CHANGED {\"phase\":\"two\"}",
                "IMAGE_CHANGED \"" + Sha256.of(imageA) + "\"");
        assertThat(observedInOutage).as("the three changes, each at its observation during the outage").hasSize(3)
                .allSatisfy(event -> {
                    assertThat(Instant.parse(event.path("at").asString())).isBefore(back);
                    assertThat(Instant.parse(event.path("detail").path("receivedAt").asString())).isAfter(back);
                });
        assertThat(count(secondLog, "uploaded image " + Sha256.of(imageB))).as("B asked for once, from the spool")
                .isEqualTo(1);
        assertThat(stop(restarted)).isZero();
    }

    private Process startAgent(Path state, Path image, String label, Path log) throws IOException {
        Process agent = new ProcessBuilder(ServerProcess.java(), "-Xmx32m", "-XX:+UseSerialGC", "-jar",
                ServerProcess.jar(), "agent", "run", "--server=" + server.url(), server.trustOption(),
                "--enroll-secret-file=" + server.enrollSecretFile(), "--state-dir=" + state, "--interval=1s",
                "--check-every=200ms", "--max-backoff=1s", "--host-key=agent-daemon-it", "--hostname=daemon-it-node", "--image=" + image,
                "--label=" + label)
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
        return server.read("/hosts/" + id);
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
        server.await("log " + log.getFileName() + " says '" + text + "'", () -> {
            try {
                return Files.readString(log, StandardCharsets.UTF_8).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
