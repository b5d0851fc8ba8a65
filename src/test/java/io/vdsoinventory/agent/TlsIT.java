package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.agent.daemon.ServerTrust;
import io.vdsoinventory.protocol.CertificatePin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel between agents and the packaged service, as users meet it: HTTPS by default with a CA the first start
 * creates, agents trusting it by file or pin, one clear line and exit 1 for a certificate they must not trust, the
 * daemon spooling through such a failure, an operator's certificate reloaded when it changes, and plain HTTP only
 * when asked for and then on the loopback address alone.
 */
class TlsIT {

    private static final Pattern ENROLL_LINE = Pattern.compile(
            "Enroll a host: java -jar vdso-inventory.jar agent run --server https://\\S+ --enroll-secret-file \\S+ "
                    + "--ca-sha256 (sha256:[0-9a-f]{64})");

    @TempDir
    static Path shared;

    /** A first start with no settings, shared by the tests that only connect to it. */
    private static ServerProcess firstStart;

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void startWithNoSettings() throws Exception {
        firstStart = ServerProcess.start(shared.resolve("server"));
    }

    @AfterAll
    static void stopFirstStart() {
        if (firstStart != null) {
            firstStart.close();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : started) {
            each.close();
        }
    }

    private ServerProcess server(Map<String, String> environment) throws Exception {
        ServerProcess server = ServerProcess.start(dir.resolve("server"), environment);
        started.add(server);
        return server;
    }

    private static AgentProcess report(ServerProcess server, String url, String... trust) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--server=" + url,
                "--enroll-secret-file=" + server.enrollSecretFile(), "--host-key=tls-it", "--hostname=tls-it"));
        args.addAll(List.of(trust));
        return AgentProcess.agent(List.of(), args.toArray(String[]::new));
    }

    @Test
    void aFirstStartServesHttpsOnlyAndAgentsTrustItsCaByFileOrByTheLoggedPin() throws Exception {
        ServerProcess server = firstStart;
        X509Certificate ca = certificate(server.caFile());
        Matcher logged = ENROLL_LINE.matcher(server.log());
        assertThat(logged.find()).as("the start log names the agent line: %s", server.log()).isTrue();
        String pin = logged.group(1);
        assertThat(pin).isEqualTo(CertificatePin.of(ca).toString());

        AgentProcess byFile = report(server, server.url(), server.trustOption());
        assertThat(byFile.exitCode()).as(byFile.stderr()).isZero();
        assertThat(byFile.stdout()).startsWith("reported host ");
        AgentProcess byPin = report(server, server.url().replace("127.0.0.1", "localhost"), "--ca-sha256=" + pin);
        assertThat(byPin.exitCode()).as(byPin.stderr()).isZero();

        String otherPin = "sha256:" + "0".repeat(64);
        AgentProcess wrongPin = report(server, server.url(), "--ca-sha256=" + otherPin);
        assertRefusedInOneLine(wrongPin, "the server's certificate is not trusted: no certificate of the server's "
                + "chain has a key pinned by --ca-sha256 (" + otherPin + ")");
        assertThat(wrongPin.stderr()).contains(pin);
        assertRefusedInOneLine(report(server, server.url()), "the server's certificate is not trusted: unable to "
                + "find valid certification path");
        assertRefusedInOneLine(report(server, server.url().replace("127.0.0.1", "127.0.0.2"), server.trustOption()),
                "No subject alternative names matching IP address 127.0.0.2 found");

        String plainAnswer = plainRequest(server.port(), "127.0.0.1");
        assertThat(plainAnswer).startsWith("HTTP/1.1 400").doesNotContain("items");
    }

    @Test
    void onlyTls13And12WithForwardSecretAeadSuitesAreNegotiated() throws Exception {
        ServerProcess server = firstStart;
        String endpoint = "127.0.0.1:" + server.port();

        assertThat(openssl(server, "-tls1_3")).contains("New, TLSv1.3");
        assertThat(openssl(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
                .contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
        for (List<String> refused : List.of(List.of("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"),
                List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"),
                List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"))) {
            assertThat(openssl(server, refused.toArray(String[]::new))).as("%s to %s", refused, endpoint)
                    .contains("Cipher is (NONE)");
        }
    }

    @Test
    void theAgentsTlsSessionIsResumedOnItsNextConnection() throws Exception {
        ServerProcess server = firstStart;
        ServerTrust trust = ServerTrust.of(List.of(server.caFile()), List.of());

        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (SSLSocket socket = (SSLSocket) trust.socketFactory().createSocket("127.0.0.1", server.port())) {
                socket.startHandshake();
                socket.getOutputStream().write(("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 200");
                created.add(socket.getSession().getCreationTime());
            }
            Thread.sleep(50);
        }
        assertThat(created).as("a resumed session keeps the creation time of the full handshake").containsOnly(
                created.get(0));
    }

    @Test
    void theDaemonSpoolsThroughARefusedCertificateSaysWhyAndDeliversOnceTrusted() throws Exception {
        ServerProcess server = firstStart;
        Path state = dir.resolve("agent-state");
        Path log = dir.resolve("agent.log");
        Process refused = daemon(server, state, log, "--ca-sha256=sha256:" + "1".repeat(64));
        server.await("the daemon logs why it cannot deliver", () -> read(log).contains(
                "the server's certificate is not trusted: no certificate of the server's chain has a key pinned"));
        stop(refused);
        assertThat(read(log)).contains("outage started");

        Process trusted = daemon(server, state, dir.resolve("agent-2.log"), server.trustOption());
        server.await("the spooled observation reaches the service", () -> server.read("/hosts?q=tls-daemon")
                .path("items").size() == 1);
        stop(trusted);
    }

    @Test
    void anOperatorsCertificateIsServedAndItsReplacementTakesEffectWithoutARestart() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Path certificate = tls.resolve("tls.crt");
        Path key = tls.resolve("tls.key");
        selfSigned(certificate, key, "first");
        ServerProcess server = server(Map.of("VDSO_TLS_CERTIFICATE", certificate.toString(),
                "VDSO_TLS_PRIVATE_KEY", key.toString(), "SPRING_SSL_BUNDLE_WATCH_FILE_QUIETPERIOD", "1s"));
        String firstPin = CertificatePin.of(certificate(certificate)).toString();
        assertThat(report(server, server.url(), "--ca-sha256=" + firstPin).exitCode()).isZero();
        assertThat(server.caFile()).isEqualTo(certificate);
        assertThat(dir.resolve("server/data/ca.pem")).as("nothing generated").doesNotExist();

        Path next = Files.createDirectories(dir.resolve("next"));
        selfSigned(next.resolve("tls.crt"), next.resolve("tls.key"), "second");
        String secondPin = CertificatePin.of(certificate(next.resolve("tls.crt"))).toString();
        Files.move(next.resolve("tls.key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(next.resolve("tls.crt"), certificate, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);

        server.await("the server serves the new certificate", () -> {
            try {
                return report(server, server.url(), "--ca-sha256=" + secondPin).exitCode() == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertRefusedInOneLine(report(server, server.url(), "--ca-sha256=" + firstPin), "not trusted");
    }

    @Test
    void plainHttpOnlyWhenAskedForAndThenOnTheLoopbackAddressAlone() throws Exception {
        ServerProcess server = server(Map.of("VDSO_TLS_ENABLED", "false"));

        assertThat(server.url()).startsWith("http://");
        assertThat(plainRequest(server.port(), "127.0.0.1")).startsWith("HTTP/1.1 200");
        assertThat(server.log()).contains("Plain HTTP on 127.0.0.1:" + server.port() + " (vdso.tls.enabled=false)");
        try (Socket other = new Socket(InetAddress.getByName("127.0.0.2"), server.port())) {
            throw new AssertionError("the server accepted a connection on 127.0.0.2: " + other);
        } catch (ConnectException expected) {
            assertThat(expected).hasMessageContaining("Connection refused");
        }
        AgentProcess offLoopback = report(server, "http://192.0.2.1:" + server.port());
        assertThat(offLoopback.exitCode()).isEqualTo(2);
        assertThat(offLoopback.stderr()).isEqualTo("agent report: refusing plain http to 192.0.2.1: the enroll secret "
                + "and the node key would cross the network in clear; use https:// (the service's default) or give "
                + "--insecure-http (agent report --help shows the usage)\n");
    }

    private static void assertRefusedInOneLine(AgentProcess agent, String reason) {
        assertThat(agent.exitCode()).as(agent.stderr()).isEqualTo(1);
        assertThat(agent.stderr()).startsWith("agent report: POST https://").contains(reason).endsWith("\n");
        assertThat(agent.stderr().lines().count()).as(agent.stderr()).isEqualTo(1);
    }

    private Process daemon(ServerProcess server, Path state, Path log, String trust) throws IOException {
        Process daemon = new ProcessBuilder(ServerProcess.java(), "-Xmx32m", "-jar", ServerProcess.jar(), "agent", "run",
                "--server=" + server.url(), trust, "--enroll-secret-file=" + server.enrollSecretFile(),
                "--state-dir=" + state, "--interval=1s", "--check-every=200ms", "--max-backoff=1s",
                "--host-key=tls-daemon", "--hostname=tls-daemon")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(daemon::destroyForcibly);
        return daemon;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    /** {@code openssl s_client} to the server with {@code options}: its output, which names what was negotiated. */
    private static String openssl(ServerProcess server, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-CAfile", server.caFile().toString()));
        command.addAll(List.of(options));
        AgentProcess run = AgentProcess.run(command);
        return run.stdout() + run.stderr();
    }

    private static void selfSigned(Path certificate, Path key, String name) throws Exception {
        AgentProcess made = AgentProcess.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", certificate.toString()));
        assertThat(made.exitCode()).as(made.stderr()).isZero();
    }

    /** {@code GET /actuator/health} over a plain socket from {@code from}: the raw answer's start. */
    private static String plainRequest(int port, String from) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
