package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsReleaseTests {

    @Test
    void valueUnquotesDoubleQuotedValues() {
        String text = """
                NAME="Debian GNU/Linux"
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                VERSION_ID="12"
                """;

        assertThat(OsRelease.value(text, "PRETTY_NAME")).hasValue("Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void valueReadsUnquotedAndSingleQuotedValues() {
        String text = "ID=fedora\nVARIANT='Cloud Edition'\n";

        assertThat(OsRelease.value(text, "ID")).hasValue("fedora");
        assertThat(OsRelease.value(text, "VARIANT")).hasValue("Cloud Edition");
    }

    @Test
    void valueResolvesBackslashEscapesInsideDoubleQuotes() {
        assertThat(OsRelease.value("PRETTY_NAME=\"The \\\"Best\\\" OS \\$1\"", "PRETTY_NAME"))
                .hasValue("The \"Best\" OS $1");
    }

    @Test
    void valueDoesNotMatchAKeyThatOnlySharesAPrefix() {
        assertThat(OsRelease.value("PRETTY_NAME_EXTRA=x\n# PRETTY_NAME=y\n", "PRETTY_NAME")).isEmpty();
    }

    @Test
    void valueTakesTheLastAssignmentLikeAShell() {
        assertThat(OsRelease.value("ID=first\nID=second\n", "ID")).hasValue("second");
    }
}
