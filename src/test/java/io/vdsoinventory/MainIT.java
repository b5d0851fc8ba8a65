package io.vdsoinventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged jar's top-level modes, as a user runs them. */
class MainIT {

    @TempDir
    Path workingDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void serverHelpPrintsTheUsageAndExits0WithoutStartingAnything(String help) throws Exception {
        Path out = workingDirectory.resolve("out.txt");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of(System.getProperty("vdso-inventory.jar", "target/vdso-inventory.jar")).toAbsolutePath()
                        .toString(), "server", help)
                .directory(workingDirectory.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean exited = server.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            server.destroyForcibly();
        }

        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(exited).as("exited; printed:%n%s", printed).isTrue();
        assertThat(server.exitValue()).as(printed).isZero();
        assertThat(printed).startsWith("Usage: java -jar vdso-inventory.jar server")
                .contains("--server.port=PORT", "--vdso.data-dir=DIR", "--spring.datasource.url=", "docs/service.md")
                .doesNotContain("Starting ServerApplication", "Tomcat", " INFO ");
        try (var created = Files.list(workingDirectory)) {
            assertThat(created).as("nothing but the captured output is created").containsExactly(out);
        }
    }
}
