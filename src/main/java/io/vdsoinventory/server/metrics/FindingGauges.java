package io.vdsoinventory.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vdsoinventory.server.fleet.FindingKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finding gauges from PostgreSQL, refreshed periodically: {@code vdso_findings_open{kind,severity}} (every kind,
 * 0 included) and {@code vdso_hosts_silent} (the open HOST_SILENT findings). One grouped query on the partial
 * index of open findings.
 */
@Component
class FindingGauges {

    private final JdbcClient jdbc;
    private final MultiGauge open;
    private final AtomicLong silent = new AtomicLong();

    FindingGauges(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.open = MultiGauge.builder("vdso.findings.open").description("Open findings (neither resolved nor suppressed)")
                .register(registry);
        registry.gauge("vdso.hosts.silent", silent);
        register(new EnumMap<>(FindingKind.class));
    }

    @Scheduled(initialDelayString = "0s", fixedDelayString = "${vdso.metrics.fleet-refresh:30s}")
    void refresh() {
        Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
        try {
            jdbc.sql("SELECT kind, count(*) FROM findings WHERE status = 'OPEN' GROUP BY kind")
                    .query((rs, row) -> counts.put(FindingKind.valueOf(rs.getString(1)), rs.getLong(2)))
                    .list();
        } catch (DataAccessException e) {
            return; // the database is down: keep the last values
        }
        register(counts);
    }

    private void register(Map<FindingKind, Long> counts) {
        List<MultiGauge.Row<?>> rows = java.util.Arrays.stream(FindingKind.values())
                .map(kind -> MultiGauge.Row.of(Tags.of("kind", kind.name(),
                        "severity", kind.severity().label()), counts.getOrDefault(kind, 0L)))
                .<MultiGauge.Row<?>>map(row -> row)
                .toList();
        open.register(rows, true);
        silent.set(counts.getOrDefault(FindingKind.HOST_SILENT, 0L));
    }
}
