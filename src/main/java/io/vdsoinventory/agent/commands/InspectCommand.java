package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.ImageSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agent inspect [--json] [FILE]}: identities, exports and anomalies of an image. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print what is known about FILE, or this process's live vDSO: hashes, ELF class, byte order, "
                + "machine, soname, build-id, version definitions, dynamic symbols and structural anomalies.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ImageArgument image;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    private boolean json;

    @Override
    public Integer call() throws CommandFailure {
        ImageSource source = image.load();
        InspectReport report = InspectReport.of(source.analyze());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.json());
        } else {
            out.print(report.summary(source.description()));
        }
        out.flush(); // an auto-flushing PrintWriter flushes on println, not on print
        return ExitCode.OK.code();
    }
}
