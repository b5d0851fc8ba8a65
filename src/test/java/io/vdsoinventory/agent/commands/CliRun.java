package io.vdsoinventory.agent.commands;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** One in-process run of the agent command line: its exit code and what it printed on stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    /**
     * Writers built like picocli's defaults for System.out/err (buffered, auto-flushing on println only), so
     * output a command forgets to flush is missing here as it would be in a real process.
     */
    static CliRun execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine commandLine = AgentCli.commandLine();
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
