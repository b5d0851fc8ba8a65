package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real process whose own vDSO was patched through /proc/self/mem (a small C program compiled here) is found by
 * the packaged {@code agent scan-processes}, with the patched function named; unpatched processes match. Reported
 * with {@code agent report --scan-processes}, it becomes the host's PROCESS_VDSO_MISMATCH evidence. Run as
 * {@code nobody}, the same report is an incomplete scan: shown so on the host and a finding of its own.
 */
class ScanProcessesIT {

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    /** The running helper, the function it patched, and the patched byte's offset in the image. */
    private record Patched(Process process, Path executable, String symbol, long offset) {
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable process : started) {
            process.close();
        }
    }

    @Test
    void scanWhenAProcessPatchedItsVdsoThenItIsListedWithTheSymbol() throws Exception {
        Patched patched = startPatchedHelper();

        AgentProcess scan = AgentProcess.agent(List.of(), "scan-processes", "--json");

        assertThat(scan.exitCode()).as(scan.stderr()).isZero();
        JsonNode result = JsonMapper.builder().build().readTree(scan.stdout());
        assertThat(result.path("mismatching").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("compared").asInt()).isGreaterThan(result.path("mismatching").asInt());
        JsonNode entry = entryOf(result.path("notMatching"), patched);
        assertThat(entry).as("the patched helper in " + scan.stdout()).isNotNull();
        assertThat(entry.path("status").asString()).isEqualTo("MISMATCH");
        assertThat(entry.path("command").asString()).isEqualTo("patch-own-vdso");
        assertThat(entry.path("executable").asString()).isEqualTo(patched.executable().toRealPath().toString());
        assertThat(entry.path("differingSymbols").toString()).contains("\"" + patched.symbol() + "\"");
        assertThat(entry.path("detail").asString()).contains("0x" + Long.toHexString(patched.offset()));
    }

    @Test
    void reportWhenAProcessPatchedItsVdsoThenTheHostsFindingNamesItsPidAndSymbol() throws Exception {
        Patched patched = startPatchedHelper();
        ServerProcess server = ServerProcess.start(dir);
        started.add(server);

        AgentProcess report = AgentProcess.agent(List.of(), "report", "--server=" + server.url(), server.trustOption(),
                "--enroll-secret-file=" + server.enrollSecretFile(), "--host-key=scan-processes-it",
                "--scan-processes");

        assertThat(report.exitCode()).as(report.stderr()).isZero();
        long hostId = hostId(report);
        String findings = "/findings?host=" + hostId + "&kind=PROCESS_VDSO_MISMATCH&status=OPEN";
        server.await("the host has a PROCESS_VDSO_MISMATCH finding",
                () -> server.read(findings).path("items").size() == 1);
        JsonNode evidence = server.read(findings).path("items").get(0).path("evidence");
        JsonNode entry = entryOf(evidence.path("processes"), patched);
        assertThat(entry).as("the patched helper in " + evidence).isNotNull();
        assertThat(entry.path("command").asString()).isEqualTo("patch-own-vdso");
        assertThat(entry.path("executable").asString()).isEqualTo(patched.executable().toRealPath().toString());
        assertThat(entry.path("symbols").toString()).contains("\"" + patched.symbol() + "\"");
        assertThat(server.read("/hosts/" + hostId).path("processScan").path("mismatches").asInt())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void reportWhenTheAgentRunsUnprivilegedThenTheHostShowsAnIncompleteScanAndAFinding() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the agent as nobody");
        ServerProcess server = ServerProcess.start(dir);
        started.add(server);
        // nobody runs the jar and reads the secret and the server's CA from copies it may open (the build
        // directory may be private: CI clones into a mktemp -d)
        Path jar = readableCopy(AgentProcess.jar(), ".jar");
        Path secret = readableCopy(server.enrollSecretFile(), ".secret");
        Path ca = readableCopy(server.caFile(), ".pem");

        AgentProcess report = AgentProcess.launched(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"), jar, List.of(), "report",
                "--server=" + server.url(), "--ca-file=" + ca, "--enroll-secret-file=" + secret,
                "--host-key=scan-unprivileged-it",
                "--scan-processes");

        assertThat(report.exitCode()).as(report.stderr()).isZero();
        assertThat(report.stderr()).contains("processes could not be read");
        long hostId = hostId(report);
        JsonNode scan = server.read("/hosts/" + hostId).path("processScan");
        assertThat(scan.path("privileged").asBoolean(true)).as(scan.toString()).isFalse();
        assertThat(scan.path("unreadable").asInt()).as(scan.toString()).isPositive();
        assertThat(scan.path("complete").asBoolean(true)).as(scan.toString()).isFalse();
        JsonNode incomplete = server.read("/hosts?scan=incomplete").path("items");
        assertThat(incomplete.size()).as(incomplete.toString()).isEqualTo(1);
        assertThat(incomplete.get(0).path("id").asLong()).isEqualTo(hostId);
        String findings = "/findings?host=" + hostId + "&kind=INCOMPLETE_SCAN&status=OPEN";
        server.await("the host has an INCOMPLETE_SCAN finding", () -> server.read(findings).path("items").size() == 1);
        assertThat(server.read(findings).path("items").get(0).path("evidence").path("unreadable").asInt())
                .isEqualTo(scan.path("unreadable").asInt());
    }

    private static boolean isRoot() throws Exception {
        return Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals("0"));
    }

    private static long hostId(AgentProcess report) {
        String reported = report.stdout().substring(report.stdout().indexOf("reported host ") + "reported host ".length());
        return Long.parseLong(reported.substring(0, reported.indexOf(' ')).strip());
    }

    /** Compiles and starts the helper, which patches a byte of its vDSO's clock_gettime and says so. */
    private Patched startPatchedHelper() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc to build the helper");
        byte[] image = LinuxHost.captureVdso().map(CapturedVdso::bytes).orElseThrow();
        ElfFile elf = ElfFile.parse(image);
        ElfSymbol clockGettime = elf.dynamicSymbols().stream()
                .filter(s -> s.name().endsWith("_clock_gettime") && s.size() > 1)
                .findFirst().orElseThrow();
        long offset = elf.fileOffsetOf(clockGettime.value()).orElseThrow() + 1;
        Path source = dir.resolve("patch-own-vdso.c");
        try (InputStream in = getClass().getResourceAsStream("patch-own-vdso.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path helper = dir.resolve("patch-own-vdso");
        AgentProcess gcc = AgentProcess.run(List.of("gcc", "-O2", "-o", helper.toString(), source.toString()));
        assertThat(gcc.exitCode()).as(gcc.stderr()).isZero();

        Process process = new ProcessBuilder(helper.toString(), "0x" + Long.toHexString(offset)).start();
        started.add(process::destroyForcibly);
        String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        assertThat(ready).isEqualTo("patched");
        return new Patched(process, helper, clockGettime.name(), offset);
    }

    private static JsonNode entryOf(JsonNode processes, Patched patched) {
        for (JsonNode process : processes) {
            if (process.path("pid").asLong() == patched.process().pid()) {
                return process;
            }
        }
        return null;
    }

    /** A copy of {@code file} in the system's temporary directory that every user may read. */
    private Path readableCopy(Path file, String suffix) throws IOException {
        Path copy = Files.createTempFile("scan-it", suffix);
        started.add(() -> Files.deleteIfExists(copy));
        Files.write(copy, Files.readAllBytes(file));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        return copy;
    }
}
