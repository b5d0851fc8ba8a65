package io.vdsoinventory.server.inventory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Hosts as RFC 4180 CSV, one header line then one line per host, written page by page. */
final class HostCsv {

    static final String HEADER = "id,hostname,kernelRelease,kernelVersion,arch,kernelBuildId,vdsoSha256,"
            + "normalizedSha256,vdsoBuildId,imageStatus,labels,findings,firstSeen,lastSeen";

    /** First characters that make a spreadsheet read a cell as a formula (or a DDE command). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private HostCsv() {
    }

    /** Writes every host {@code pages} yields; {@code pages} maps the last id written to the next page. */
    static void write(OutputStream out, LongFunction<List<HostView>> pages) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(HEADER + "\r\n");
        long after = 0;
        List<HostView> page = pages.apply(after);
        while (!page.isEmpty()) {
            for (HostView host : page) {
                writer.write(line(host));
            }
            writer.flush();
            after = page.get(page.size() - 1).id();
            page = pages.apply(after);
        }
        writer.flush();
    }

    private static String line(HostView host) {
        HostView.Vdso vdso = host.vdso();
        String labels = host.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(label -> label.getKey() + "=" + label.getValue()).collect(Collectors.joining(";"));
        String findings = host.findings().stream().map(finding -> finding.kind().name())
                .collect(Collectors.joining(";"));
        return String.join(",", Long.toString(host.id()), field(host.hostname()), field(host.kernel().release()),
                field(host.kernel().version()), field(host.kernel().arch()), field(host.kernel().buildId()),
                field(vdso == null ? null : vdso.sha256()), field(vdso == null ? null : vdso.normalizedSha256()),
                field(vdso == null ? null : vdso.buildId()), field(vdso == null ? null : vdso.status().name()),
                field(labels), field(findings), host.firstSeen().toString(), host.lastSeen().toString()) + "\r\n";
    }

    /**
     * Quotes a field when it holds a comma, quote or line break (RFC 4180 section 2). A field an agent controls
     * (hostname, labels, kernel version) that starts like a spreadsheet formula is written as text, with a leading
     * apostrophe (OWASP "CSV injection"): a security team opening the export must not run a host's formula.
     */
    private static String field(@Nullable String value) {
        if (value == null) {
            return "";
        }
        boolean formula = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0;
        if (!formula && value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + (formula ? "'" : "") + value.replace("\"", "\"\"") + '"';
    }
}
