package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real process whose own vDSO was patched through /proc/self/mem (a small C program compiled here) is found by
 * the packaged {@code agent scan-processes}, with the patched function named; unpatched processes match.
 */
class ScanProcessesIT {

    @TempDir
    Path dir;

    @Test
    void scanWhenAProcessPatchedItsVdsoThenItIsListedWithTheSymbol() throws Exception {
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

        Process patched = new ProcessBuilder(helper.toString(), "0x" + Long.toHexString(offset)).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(patched.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(ready).isEqualTo("patched");

            AgentProcess scan = AgentProcess.agent(List.of(), "scan-processes", "--json");

            assertThat(scan.exitCode()).as(scan.stderr()).isZero();
            JsonNode result = JsonMapper.builder().build().readTree(scan.stdout());
            assertThat(result.path("mismatching").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(result.path("compared").asInt()).isGreaterThan(result.path("mismatching").asInt());
            JsonNode entry = null;
            for (JsonNode process : result.path("notMatching")) {
                if (process.path("pid").asLong() == patched.pid()) {
                    entry = process;
                }
            }
            assertThat(entry).as("the patched helper in " + scan.stdout()).isNotNull();
            assertThat(entry.path("status").asString()).isEqualTo("MISMATCH");
            assertThat(entry.path("command").asString()).isEqualTo("patch-own-vdso");
            assertThat(entry.path("executable").asString()).isEqualTo(helper.toRealPath().toString());
            assertThat(entry.path("differingSymbols").toString()).contains("\"" + clockGettime.name() + "\"");
            assertThat(entry.path("detail").asString()).contains("0x" + Long.toHexString(offset));
        } finally {
            patched.destroyForcibly();
        }
    }
}
