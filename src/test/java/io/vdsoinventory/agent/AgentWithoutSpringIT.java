package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent runs on every host and must stay small: the packaged jar's agent mode loads no Spring context classes
 * (Boot's jar launcher, org.springframework.boot.loader, is expected and allowed), and {@code report} and
 * {@code run} load no Jackson databind either (the agent's JSON is jackson-jr, see {@code daemon.AgentJson}). The service
 * here is a minimal stand-in speaking the protocol; -verbose:class prints one "[class,load] NAME" line per class.
 */
class AgentWithoutSpringIT {

    private static final List<String> HEAVY = List.of("org.springframework.context.",
            "org.springframework.boot.SpringApplication", "org.springframework.beans.", "tools.jackson.databind.",
            "com.fasterxml.jackson.databind.");

    @TempDir
    Path dir;

    private HttpServer service;
    private final CountDownLatch reports = new CountDownLatch(2);
    private final List<String> bodies = new ArrayList<>();

    @BeforeEach
    void startService() throws IOException {
        service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.createContext("/agent/enroll", exchange -> answer(exchange, "{\"hostId\":1,\"nodeKey\":\"nk\"}"));
        service.createContext("/agent/reports", exchange -> {
            synchronized (bodies) {
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            answer(exchange, "{\"hostId\":1,\"imageNeeded\":true,\"nextReportSeconds\":300,\"futureField\":[1]}");
            reports.countDown();
        });
        service.createContext("/agent/images/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, "{\"sha256\":\"" + "0".repeat(64) + "\",\"status\":\"ANALYZED\"}");
        });
        service.start();
        Files.writeString(dir.resolve("secret"), "s3cret\n");
    }

    @AfterEach
    void stopService() {
        service.stop(0);
    }

    @Test
    void inspectOfTheLiveVdsoLoadsNoSpringContextClasses() throws Exception {
        AgentProcess agent = AgentProcess.agent(List.of("-verbose:class"), "inspect", "--json");

        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        assertThat(agent.stdout()).contains("\"sha256\"", "linux-vdso.so.1");
        assertThat(agent.stdout()).contains("io.vdsoinventory.agent.commands.InspectCommand", "picocli.CommandLine",
                        "io.vdsoinventory.host.JnaNativeProcess", "tools.jackson.databind.json.JsonMapper")
                .doesNotContain("org.springframework.context.", "org.springframework.boot.SpringApplication",
                        "org.springframework.beans.");
    }

    @Test
    void reportLoadsNeitherSpringNorJacksonDatabind() throws Exception {
        AgentProcess agent = AgentProcess.agent(List.of("-verbose:class"), "report", "--server=" + url(),
                "--enroll-secret-file=" + dir.resolve("secret"), "--host-key=without-spring");

        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        assertThat(agent.stdout()).contains("reported host 1", "uploaded image", "tools.jackson.jr.ob.JSON");
        assertThat(agent.stdout()).doesNotContain(HEAVY);
        assertThat(bodies.get(0)).as("nulls are left out").contains("\"kernel\"").doesNotContain(":null");
    }

    @Test
    void runLoadsNeitherSpringNorJacksonDatabind() throws Exception {
        Path stdout = dir.resolve("run.out");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-jar", System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar"),
                "agent", "run", "--server=" + url(), "--enroll-secret-file=" + dir.resolve("secret"),
                "--host-key=without-spring", "--state-dir=" + dir.resolve("state"), "--interval=1s",
                "--check-every=200ms")
                .redirectOutput(stdout.toFile()).redirectError(dir.resolve("run.err").toFile()).start();
        try {
            assertThat(reports.await(60, TimeUnit.SECONDS)).as("a change and a heartbeat reported").isTrue();
        } finally {
            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(run.exitValue()).as(Files.readString(dir.resolve("run.err"))).isZero();
        assertThat(Files.readString(stdout)).contains("io.vdsoinventory.agent.daemon.AgentLoop", "tools.jackson.jr.ob.JSON")
                .doesNotContain(HEAVY);
    }

    private String url() {
        return "http://127.0.0.1:" + service.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
