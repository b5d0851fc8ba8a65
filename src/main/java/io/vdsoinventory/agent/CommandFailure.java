package io.vdsoinventory.agent;

/**
 * An expected failure of a command (unreadable file, not an ELF image, no vDSO, ...). Its message is the one line
 * the user sees on stderr, so it names the input and the reason; the process exits with {@link ExitCode#FAILURE}.
 */
public final class CommandFailure extends Exception {

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
