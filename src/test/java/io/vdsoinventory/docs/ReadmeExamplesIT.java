package io.vdsoinventory.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code $ command} in README.md's console blocks runs as written, in order, against the packaged service
 * started the way the README's set-up command starts it (embedded PostgreSQL, data in {@code ./vdso-data} of the
 * working directory), and exits 0. Only the port and the jar's path are adapted to the test run.
 */
class ReadmeExamplesIT {

    private static final Pattern COMMAND = Pattern.compile("(?m)^\\$ (.+)$");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    static Path workDir;

    private static Process server;
    private static int port;

    @BeforeAll
    static void startServerAsTheReadmeDoes() throws Exception {
        port = freePort();
        server = new ProcessBuilder(java(), "-jar", jar().toString(), "server", "--server.port=" + port)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("server.log").toFile())
                .start();
        waitUntilReady();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void everyCommandOfTheReadmeRunsAsWritten() throws Exception {
        List<String> commands = readmeCommands();
        assertThat(commands).as("console commands in README.md").hasSizeGreaterThanOrEqualTo(5);

        for (String command : commands) {
            String adapted = command.replace("127.0.0.1:8080", "127.0.0.1:" + port)
                    .replace("target/vdso-inventory.jar", jar().toString());
            Process shell = new ProcessBuilder("bash", "-c", "set -o pipefail; " + adapted)
                    .directory(workDir.toFile()).redirectErrorStream(true).start();
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            assertThat(shell.exitValue()).as("exit code of `%s`, output:%n%s", command, output).isZero();
            if (command.contains("curl") && command.contains("/hosts")) {
                assertThat(output).as(command).contains(command.contains("text/csv") ? "id,hostname," : "\"items\"");
            }
        }
    }

    /** The README's {@code $ ...} lines, in order. */
    static List<String> readmeCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> commands = new ArrayList<>();
        Matcher matcher = COMMAND.matcher(readme);
        while (matcher.find()) {
            commands.add(matcher.group(1).strip());
        }
        return commands;
    }

    /** Ready when curl, trusting the CA the first start generates, gets a healthy answer. */
    private static void waitUntilReady() throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(workDir.resolve("server.log")));
            }
            Process health = new ProcessBuilder("curl", "-sf", "-o", "/dev/null", "--cacert", "vdso-data/ca.pem",
                    "https://127.0.0.1:" + port + "/actuator/health")
                    .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (health.waitFor(30, TimeUnit.SECONDS) && health.exitValue() == 0
                    && Files.exists(workDir.resolve("vdso-data/admin-token"))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server not ready within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar() {
        return Path.of(System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar")).toAbsolutePath();
    }
}
