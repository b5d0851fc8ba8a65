package io.vdsoinventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged jar's top-level modes, as a user runs them. */
class MainIT {

    @TempDir
    Path workingDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"extract", "symbols", "inspect", "report", "run", "scan-processes"})
    void agentCommandHelpPrintsNoPicocliWarnings(String command) throws Exception {
        Path out = workingDirectory.resolve("out.txt");
        Process help = jar(out, "agent", command, "--help");

        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(help.exitValue()).as(printed).isZero();
        assertThat(printed).startsWith("Usage: agent " + command).doesNotContain("[picocli WARN]", "%n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void serverHelpPrintsTheUsageAndExits0WithoutStartingAnything(String help) throws Exception {
        Path out = workingDirectory.resolve("out.txt");
        Process server = jar(out, "server", help);

        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(server.exitValue()).as(printed).isZero();
        assertThat(printed).startsWith("Usage: java -jar vdso-inventory.jar server")
                .contains("--server.port=PORT", "--vdso.data-dir=DIR", "--spring.datasource.url=", "docs/service.md")
                .doesNotContain("Starting ServerApplication", "Tomcat", " INFO ");
        try (var created = Files.list(workingDirectory)) {
            assertThat(created).as("nothing but the captured output is created").containsExactly(out);
        }
    }

    /** {@code java -jar vdso-inventory.jar args...} in the working directory, stdout and stderr into {@code out}. */
    private Process jar(Path out, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of(System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar"))
                .toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not exit within 60 s");
        }
        return process;
    }
}
