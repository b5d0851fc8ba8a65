package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.LinuxHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCliTests {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = AgentCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void bareAgentPrintsUsageAsAUsageError() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).startsWith("Usage: agent").contains("extract", "symbols", "inspect");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void everyCommandsHelpListsTheExitCodes() {
        for (String command : List.of("extract", "symbols", "inspect")) {
            StringWriter help = new StringWriter();
            CommandLine commandLine = AgentCli.commandLine();
            commandLine.setOut(new PrintWriter(help, true));

            assertThat(commandLine.execute(command, "--help")).isZero();
            assertThat(help.toString()).as(command).contains("Exit codes:", "  0   success", "  1   failure",
                    "  2   usage error");
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(execute("inspect", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
    }

    @Test
    void extractWithoutFileIsAUsageError() {
        assertThat(execute("extract")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void extractWritesTheWholeLiveMappingAndPrintsItsRange() throws Exception {
        Path file = dir.resolve("vdso.so");

        assertThat(execute("extract", file.toString())).isZero();

        CapturedVdso live = LinuxHost.captureVdso().orElseThrow();
        byte[] written = Files.readAllBytes(file);
        assertThat(written).startsWith(0x7f, 'E', 'L', 'F').isEqualTo(live.bytes());
        assertThat(out.toString()).isEqualTo(String.format("start 0x%x%nend   0x%x%nbytes %d%nwrote %s%n",
                live.start(), live.end(), written.length, file));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void extractReplacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("vdso.so");
        Files.writeString(file, "old content");

        assertThat(execute("extract", file.toString())).isZero();

        assertThat(Files.readAllBytes(file)).startsWith(0x7f, 'E', 'L', 'F');
        assertThat(filesIn(dir)).containsExactly(file);
    }

    @Test
    void extractIntoMissingDirectoryFailsWithOneLineAndWritesNothing() throws IOException {
        Path file = dir.resolve("missing/vdso.so");

        assertThat(execute("extract", file.toString())).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("agent extract: cannot write " + file + ": no such file or directory"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void symbolsOfMissingFileFailsWithOneLine() {
        Path missing = dir.resolve("nope.so");

        assertThat(execute("symbols", missing.toString())).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("agent symbols: cannot read " + missing + ": no such file or directory"
                + System.lineSeparator());
    }

    @Test
    void inspectOfDirectoryFailsWithOneLine() {
        assertThat(execute("inspect", dir.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("agent inspect: cannot read " + dir + ": ")
                .doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void inspectOfNonElfFileSaysSoOnOneLine() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not an ELF image\n");

        assertThat(execute("inspect", "--json", text.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("agent inspect: " + text + ": not a readable ELF image: ")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void versionNamesTheAgent() {
        assertThat(execute("--version")).isZero();
        assertThat(out.toString()).startsWith("vdso-inventory agent ");
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
