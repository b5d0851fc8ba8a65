package io.vdsoinventory.server.detection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.vdso.abi.AbiCatalog;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The detection counters of docs/metrics.md: {@code vdso_findings_opened_total{kind,severity}} and
 * {@code vdso_kernel_drift_events_total{arch}}, every series registered at 0 when the server starts (every kind;
 * every arch of the ABI catalog) so that {@code rate()} sees the first increment.
 */
@Component
class DetectionMetrics {

    private final MeterRegistry registry;
    private final Map<FindingKind, Counter> opened = new EnumMap<>(FindingKind.class);
    private final Map<String, Counter> drift = new ConcurrentHashMap<>();

    DetectionMetrics(MeterRegistry registry, AbiCatalog catalog) {
        this.registry = registry;
        for (FindingKind kind : FindingKind.values()) {
            opened.put(kind, Counter.builder("vdso.findings.opened")
                    .description("Findings opened since the server started")
                    .tag("kind", kind.name()).tag("severity", kind.severity().label()).register(registry));
        }
        catalog.entries().forEach(entry -> entry.archKeys().forEach(this::driftCounter));
    }

    void opened(FindingKind kind) {
        opened.get(kind).increment();
    }

    void drift(String arch) {
        driftCounter(arch).increment();
    }

    private Counter driftCounter(String arch) {
        return drift.computeIfAbsent(arch, a -> Counter.builder("vdso.kernel.drift.events")
                .description("Hosts that came back from a reboot with another kernel or vDSO image")
                .tag("arch", a).register(registry));
    }
}
