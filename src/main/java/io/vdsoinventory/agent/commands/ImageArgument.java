package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ImageSource;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The optional {@code [FILE]} of the reading commands (a picocli mixin): a vDSO image file, else the live vDSO. */
final class ImageArgument {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "a vDSO image file (default: this process's live vDSO)")
    private Path file;

    /** Whether the command reads the live vDSO (no FILE given). */
    boolean isLive() {
        return file == null;
    }

    ImageSource load() throws CommandFailure {
        return ImageSource.of(file);
    }
}
