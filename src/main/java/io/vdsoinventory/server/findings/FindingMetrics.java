package io.vdsoinventory.server.findings;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vdsoinventory.server.fleet.FindingKind;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The counter of docs/metrics.md {@code vdso_findings_opened_total{kind,severity}}, a series per kind registered
 * at 0 when the server starts so that {@code rate()} sees the first increment.
 */
@Component
class FindingMetrics {

    private final Map<FindingKind, Counter> opened = new EnumMap<>(FindingKind.class);

    FindingMetrics(MeterRegistry registry) {
        for (FindingKind kind : FindingKind.values()) {
            opened.put(kind, Counter.builder("vdso.findings.opened")
                    .description("Findings opened since the server started")
                    .tag("kind", kind.name()).tag("severity", kind.severity().label()).register(registry));
        }
    }

    void opened(FindingKind kind) {
        opened.get(kind).increment();
    }
}
