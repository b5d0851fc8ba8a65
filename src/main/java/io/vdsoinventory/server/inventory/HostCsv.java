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

    /** Quotes a field when it holds a comma, quote or line break (RFC 4180 section 2). */
    private static String field(@Nullable String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
