package io.vdsoinventory.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The fleet's enroll secret, given inline or in a file (a picocli mixin of the commands that enrol). */
public final class EnrollSecret {

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Choice choice;

    /** Exactly one of the two options. */
    static final class Choice {
        @Option(names = "--enroll-secret", paramLabel = "SECRET", description = "the fleet's enroll secret")
        String value;

        @Option(names = "--enroll-secret-file", paramLabel = "FILE",
                description = "a file holding the enroll secret")
        Path file;
    }

    /** The secret; a file is read at each call, so a rotated secret is picked up at the next enrolment. */
    public String read() throws CommandFailure {
        if (choice.value != null) {
            return choice.value;
        }
        try {
            return Files.readString(choice.file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CommandFailure("cannot read the enroll secret from " + choice.file + ": "
                    + ImageSource.ioReason(e), e);
        }
    }
}
