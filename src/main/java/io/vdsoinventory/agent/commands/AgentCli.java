package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The agent's command line ({@code java -jar vdso-inventory.jar agent ...}): plain Java and picocli, never Spring.
 * Expected failures end as one stderr line and {@link ExitCode#FAILURE}; usage errors as one line and
 * {@link ExitCode#USAGE}.
 */
public final class AgentCli {

    private AgentCli() {
    }

    /** Runs the agent command line with the process's stdout and stderr and returns the exit code. */
    public static int run(String[] args) {
        return commandLine().execute(args);
    }

    /** The configured command tree; tests set its writers and call {@code execute}. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AgentCommand());
        commandLine.setExecutionExceptionHandler(oneLineErrors());
        commandLine.setParameterExceptionHandler(oneLineUsageErrors());
        applyToTree(commandLine);
        return commandLine;
    }

    /** Every command lists the exit codes in its help footer and answers --version alike. */
    private static void applyToTree(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        spec.versionProvider(new AgentVersion());
        commandLine.getSubcommands().values().forEach(AgentCli::applyToTree);
    }

    /** A usage error is one line naming the mistake and where the usage is, not the whole usage. */
    private static IParameterExceptionHandler oneLineUsageErrors() {
        return (exception, args) -> {
            CommandLine commandLine = exception.getCommandLine();
            String command = commandLine.getCommandSpec().qualifiedName();
            PrintWriter err = commandLine.getErr();
            err.println(command + ": " + exception.getMessage() + " (" + command + " --help shows the usage)");
            err.flush();
            return ExitCode.USAGE.code();
        };
    }

    /** A {@link CommandFailure} is the user's message; anything else is a bug, still one line, named as such. */
    private static IExecutionExceptionHandler oneLineErrors() {
        return (exception, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String command = commandLine.getCommandSpec().qualifiedName();
            if (exception instanceof CommandFailure) {
                err.println(command + ": " + exception.getMessage());
            } else {
                err.println(command + ": internal error: " + exception);
            }
            err.flush();
            return ExitCode.FAILURE.code();
        };
    }
}
