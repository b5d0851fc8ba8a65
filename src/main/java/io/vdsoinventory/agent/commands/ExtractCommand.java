package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.ImageSource;
import io.vdsoinventory.host.CapturedVdso;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agent extract FILE}: the whole [vdso] mapping of this process, written to FILE. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Write the whole [vdso] mapping of this process (page padding included) to FILE and print "
                + "its start, end and byte count. FILE is replaced atomically: it never holds a partial image.")
final class ExtractCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "where to write the image")
    private Path file;

    @Override
    public Integer call() throws CommandFailure {
        CapturedVdso vdso = ImageSource.captureLive();
        writeAtomically(file, vdso.bytes());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("start 0x%x%n", vdso.start());
        out.printf("end   0x%x%n", vdso.end());
        out.printf("bytes %d%n", vdso.bytes().length);
        out.printf("wrote %s%n", file);
        return ExitCode.OK.code();
    }

    /** Writes a temporary file beside {@code target} and renames it over the target (rename(2) is atomic). */
    static void writeAtomically(Path target, byte[] bytes) throws CommandFailure {
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new CommandFailure("cannot write " + target + ": it is a directory");
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new CommandFailure("cannot write " + target + ": " + ImageSource.ioReason(e), e);
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // the write already failed; that failure is the one the user needs to see
        }
    }
}
