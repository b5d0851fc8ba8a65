package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: alone it prints its usage (a usage error), otherwise it dispatches to a subcommand. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Capture and analyse this host's vDSO (linux-vdso.so.1) or a vDSO image file.",
        subcommands = {ExtractCommand.class, SymbolsCommand.class, InspectCommand.class, ReportCommand.class,
                RunCommand.class, ScanProcessesCommand.class,
                HelpCommand.class})
final class AgentCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }
}
