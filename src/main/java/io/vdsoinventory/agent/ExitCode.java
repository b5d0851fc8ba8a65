package io.vdsoinventory.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/** The agent's process exit codes, listed in every command's help footer. */
public enum ExitCode {
    OK(0, "success"),
    FAILURE(1, "failure: the input is not a readable ELF image, a file cannot be read or written, or the host's vDSO cannot be captured (reason on stderr)"),
    USAGE(2, "usage error: unknown command or option, missing or extra argument");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** picocli's exit code list: code (as the left column) to its meaning. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exitCode : values()) {
            list.put(Integer.toString(exitCode.code), exitCode.meaning);
        }
        return list;
    }
}
