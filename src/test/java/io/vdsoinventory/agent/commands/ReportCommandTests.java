package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agent report --image FILE} against the running service. */
class ReportCommandTests extends ServiceTestSupport {

    @TempDir
    private Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void reportWhenNewImageThenUploadedAndExit0AndWhenKnownThenNoUpload() throws IOException {
        byte[] bytes = vdsoImage("number_of_the_beast");
        String sha256 = Sha256.of(bytes);
        String hostKey = uniqueKey();

        int exit = run(image(bytes), "--host-key", hostKey, "--label", "env=test", "--label", "rack=r1");

        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("image " + sha256, "uploaded image " + sha256);
        assertThat(run(image(bytes), "--host-key", hostKey, "--label", "env=test", "--label", "rack=r1")).isZero();
        assertThat(out.toString().split("uploaded", -1)).hasSize(2);
        assertThat(jdbc.sql("""
                SELECT encode(h.image_sha256, 'hex') || ' ' || k.release || ' ' || h.labels::text
                FROM hosts h JOIN kernels k ON k.id = h.kernel_id WHERE h.host_key = :k
                """)
                .param("k", hostKey).query(String.class).single())
                .isEqualTo(sha256 + " 6.1.0-test {\"env\": \"test\", \"rack\": \"r1\"}");
    }

    @Test
    void reportWhenNoLabelIsGivenThenTheHostKeepsItsLabels() throws IOException {
        String hostKey = uniqueKey();
        Path image = image(vdsoImage());
        assertThat(run(image, "--host-key", hostKey, "--label", "env=prod")).isZero();

        assertThat(run(image, "--host-key", hostKey)).isZero();

        assertThat(jdbc.sql("SELECT labels::text FROM hosts WHERE host_key = :k").param("k", hostKey)
                .query(String.class).single()).isEqualTo("{\"env\": \"prod\"}");
        assertThat(count("SELECT count(*) FROM host_events e JOIN hosts h ON h.id = e.host_id "
                + "WHERE h.host_key = :k AND e.kind = 'LABELS_CHANGED'", Map.of("k", hostKey))).isZero();
    }

    @Test
    void reportWhenLiveThenThisHostsKernelAndVdsoAreInTheInventory() {
        String hostKey = uniqueKey();

        int exit = execute(List.of("--server", "http://127.0.0.1:" + port, "--enroll-secret-file",
                dataDir().resolve("enroll-secret").toString(), "--host-key", hostKey));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(jdbc.sql("SELECT k.release FROM hosts h JOIN kernels k ON k.id = h.kernel_id "
                + "WHERE h.host_key = :k").param("k", hostKey)
                .query(String.class).single()).isEqualTo(System.getProperty("os.version"));
        assertThat(count("""
                SELECT count(*) FROM hosts h JOIN images i ON i.sha256 = encode(h.image_sha256, 'hex')
                WHERE h.host_key = :k AND i.status = 'ANALYZED'
                  AND EXISTS (SELECT 1 FROM image_symbols s WHERE s.image_sha256 = i.sha256 AND s.defined)
                """, Map.of("k", hostKey))).isEqualTo(1);
    }

    @Test
    void reportWhenImageUnparseableThenExit1WithTheProblemOnOneLine() throws IOException {
        byte[] bytes = ("not an elf " + uniqueKey()).getBytes(StandardCharsets.US_ASCII);

        int exit = run(image(bytes), "--host-key", uniqueKey());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("agent report: PUT /agent/images/" + Sha256.of(bytes) + ": 422 Unprocessable image: ")
                .hasLineCount(1);
        assertThat(count("SELECT count(*) FROM images WHERE sha256 = :s AND status = 'MALFORMED'",
                Map.of("s", Sha256.of(bytes)))).isEqualTo(1);
    }

    @Test
    void reportWhenSecretWrongThenExit1AndNoHost() throws IOException {
        String hostKey = uniqueKey();
        List<String> args = new ArrayList<>(List.of("--server", "http://127.0.0.1:" + port, "--enroll-secret", "wrong",
                "--image", image(new byte[] {1}).toString(), "--host-key", hostKey, "--hostname", "h",
                "--kernel-release", "6.1.0", "--arch", "x86_64"));

        int exit = execute(args);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("agent report: POST /agent/enroll: 401 Unauthorized: The enroll secret is wrong"
                + System.lineSeparator());
        assertThat(count("SELECT count(*) FROM hosts WHERE host_key = :k", Map.of("k", hostKey))).isZero();
    }

    @Test
    void reportWhenServiceUnreachableThenExit1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        int exit = execute(List.of("--server", "http://127.0.0.1:" + closedPort, "--enroll-secret", "s",
                "--image", image(new byte[] {1}).toString(), "--host-key", "k", "--hostname", "h",
                "--kernel-release", "6.1.0", "--arch", "x86_64"));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the service").hasLineCount(1);
    }

    @Test
    void reportWhenPlainHttpOffTheLoopbackThenRefusedBeforeReadingAnything() {
        int exit = execute(List.of("--server", "http://192.0.2.1:8080", "--enroll-secret", "s",
                "--image", "/nonexistent/vdso.so", "--host-key", "k", "--hostname", "h"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("agent report: refusing plain http to 192.0.2.1:")
                .doesNotContain("nonexistent").hasLineCount(1);
    }

    @Test
    void reportWhenServerOptionMissingThenUsageError() {
        assertThat(execute(List.of("--enroll-secret", "s"))).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--server=URL'");
    }

    private int run(Path image, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server", "http://127.0.0.1:" + port,
                "--enroll-secret-file", dataDir().resolve("enroll-secret").toString(), "--image", image.toString(),
                "--hostname", "sim-1", "--kernel-release", "6.1.0-test", "--arch", "x86_64", "--boot-id", "b-1"));
        args.addAll(List.of(extra));
        return execute(args);
    }

    private int execute(List<String> args) {
        List<String> report = new ArrayList<>(List.of("report"));
        report.addAll(args);
        return command().execute(report.toArray(String[]::new));
    }

    /** The agent's whole command line; every call runs {@code agent report ...}. */
    private CommandLine command() {
        CommandLine command = AgentCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command;
    }

    private Path image(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(tmp, "vdso", ".so");
        Files.write(file, bytes);
        return file;
    }
}
