package io.vdsoinventory.agent;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agent symbols [FILE]}: the dynamic symbols, laid out like {@code objdump -T}. */
@Command(name = "symbols", mixinStandardHelpOptions = true,
        description = "Print the dynamic symbols of FILE, or of this process's live vDSO, laid out like objdump -T.")
final class SymbolsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "a vDSO image file (default: the live vDSO)")
    private Path file;

    @Override
    public Integer call() throws CommandFailure {
        ImageSource source = ImageSource.of(file);
        PrintWriter out = spec.commandLine().getOut();
        ObjdumpTable.lines(source.elf()).forEach(out::println);
        return ExitCode.OK.code();
    }
}
