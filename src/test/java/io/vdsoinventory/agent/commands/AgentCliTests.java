package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCliTests {

    @TempDir
    Path dir;

    @Test
    void bareAgentPrintsUsageAsAUsageError() {
        CliRun run = CliRun.execute();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Usage: agent").contains("extract", "symbols", "inspect");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void everyCommandsHelpListsTheExitCodes() {
        for (String command : List.of("extract", "symbols", "inspect")) {
            CliRun help = CliRun.execute(command, "--help");

            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).contains("Exit codes:", "  0   success", "  1   failure",
                    "  2   usage error");
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.execute("inspect", "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("agent inspect: Unknown option: '--bogus' (agent inspect --help shows the usage)\n");
    }

    @Test
    void extractWithoutFileIsAUsageError() {
        CliRun run = CliRun.execute("extract");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void extractWritesTheWholeLiveMappingAndPrintsItsRange() throws Exception {
        Path file = dir.resolve("vdso.so");

        CliRun run = CliRun.execute("extract", file.toString());
        assertThat(run.exitCode()).isZero();

        CapturedVdso live = LinuxHost.captureVdso().orElseThrow();
        byte[] written = Files.readAllBytes(file);
        assertThat(written).startsWith(0x7f, 'E', 'L', 'F').isEqualTo(live.bytes());
        assertThat(run.out()).isEqualTo(String.format("start 0x%x%nend   0x%x%nbytes %d%nwrote %s%n",
                live.start(), live.end(), written.length, file));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void extractReplacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("vdso.so");
        Files.writeString(file, "old content");

        CliRun run = CliRun.execute("extract", file.toString());
        assertThat(run.exitCode()).isZero();

        assertThat(Files.readAllBytes(file)).startsWith(0x7f, 'E', 'L', 'F');
        assertThat(filesIn(dir)).containsExactly(file);
    }

    @Test
    void extractIntoMissingDirectoryFailsWithOneLineAndWritesNothing() throws IOException {
        Path file = dir.resolve("missing/vdso.so");

        CliRun run = CliRun.execute("extract", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);

        assertThat(run.err()).isEqualTo("agent extract: cannot write " + file + ": no such file or directory"
                + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void extractOntoADirectoryFailsWithOneLineAndWritesNothing() throws IOException {
        for (String target : new String[] {dir.toString(), "/"}) {
            CliRun run = CliRun.execute("extract", target);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("agent extract: cannot write " + target + ": it is a directory"
                    + System.lineSeparator());
        }
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void symbolsOfMissingFileFailsWithOneLine() {
        Path missing = dir.resolve("nope.so");

        CliRun run = CliRun.execute("symbols", missing.toString());
        assertThat(run.exitCode()).isEqualTo(1);

        assertThat(run.err()).isEqualTo("agent symbols: cannot read " + missing + ": no such file or directory"
                + System.lineSeparator());
    }

    @Test
    void inspectOfDirectoryFailsWithOneLine() {
        CliRun run = CliRun.execute("inspect", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);

        assertThat(run.err()).isEqualTo("agent inspect: cannot read " + dir + ": Is a directory"
                + System.lineSeparator());
    }

    @Test
    void inspectOfNonElfFileSaysSoOnOneLine() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not an ELF image\n");

        CliRun run = CliRun.execute("inspect", "--json", text.toString());
        assertThat(run.exitCode()).isEqualTo(1);

        assertThat(run.err()).startsWith("agent inspect: " + text + ": not a readable ELF image: ")
                .hasLineCount(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void versionNamesTheAgent() {
        CliRun run = CliRun.execute("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("vdso-inventory agent ");
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
