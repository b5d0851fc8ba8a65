package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agent symbols [FILE]}: the dynamic symbols, laid out like {@code objdump -T}. */
@Command(name = "symbols", mixinStandardHelpOptions = true,
        description = "Print the dynamic symbols of FILE, or of this process's live vDSO, laid out like objdump -T.")
final class SymbolsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ImageArgument image;

    @Override
    public Integer call() throws CommandFailure {
        PrintWriter out = spec.commandLine().getOut();
        ObjdumpTable.lines(image.load().elf()).forEach(out::println);
        return ExitCode.OK.code();
    }
}
