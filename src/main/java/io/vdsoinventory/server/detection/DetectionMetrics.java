package io.vdsoinventory.server.detection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vdsoinventory.vdso.abi.AbiCatalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The drift counter of docs/metrics.md, {@code vdso_kernel_drift_events_total{arch}}, a series per arch of the
 * ABI catalog registered at 0 when the server starts so that {@code rate()} sees the first increment.
 */
@Component
class DetectionMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> drift = new ConcurrentHashMap<>();

    DetectionMetrics(MeterRegistry registry, AbiCatalog catalog) {
        this.registry = registry;
        catalog.entries().forEach(entry -> entry.archKeys().forEach(this::driftCounter));
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
