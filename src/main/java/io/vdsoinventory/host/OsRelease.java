package io.vdsoinventory.host;

import java.util.Optional;

/**
 * Pure reading of os-release(5) text: {@code KEY=value} lines whose values follow shell quoting (double or
 * single quotes, backslash escapes of {@code " \ $ `} inside double quotes); comments start with {@code #}.
 */
final class OsRelease {

    private OsRelease() {
    }

    /** The value of {@code key}, unquoted; empty when the text does not assign it. */
    static Optional<String> value(String osReleaseText, String key) {
        String prefix = key + "=";
        return osReleaseText.lines()
                .map(String::strip)
                .filter(line -> line.startsWith(prefix))
                .reduce((first, later) -> later) // like a shell sourcing it, the last assignment wins
                .map(line -> unquote(line.substring(prefix.length())));
    }

    private static String unquote(String raw) {
        if (raw.length() >= 2 && raw.charAt(0) == '\'' && raw.charAt(raw.length() - 1) == '\'') {
            return raw.substring(1, raw.length() - 1);
        }
        boolean doubleQuoted = raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"';
        String body = doubleQuoted ? raw.substring(1, raw.length() - 1) : raw;
        StringBuilder value = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && "\"\\$`".indexOf(body.charAt(i + 1)) >= 0) {
                c = body.charAt(++i);
            }
            value.append(c);
        }
        return value.toString();
    }
}
