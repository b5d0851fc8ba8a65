package io.vdsoinventory.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fleet-state gauges from PostgreSQL, refreshed periodically: {@code vdso_hosts{arch,kernel_release}},
 * {@code vdso_kernel_releases{arch}}, {@code vdso_kernel_images{arch,kernel_release}}. The arch is the analysed
 * image's (the vDSO ABI), else the reported kernel arch. One grouped query over the rollup {@code
 * kernel_image_hosts} (one row per kernel and image, kept by triggers on hosts), a few dozen series whatever the
 * fleet size.
 */
@Component
class FleetGauges {

    private final JdbcClient jdbc;
    private final MultiGauge hosts;
    private final MultiGauge releases;
    private final MultiGauge images;

    FleetGauges(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.hosts = MultiGauge.builder("vdso.hosts").description("Hosts by arch and kernel release")
                .register(registry);
        this.releases = MultiGauge.builder("vdso.kernel.releases").description("Distinct kernel releases per arch")
                .register(registry);
        this.images = MultiGauge.builder("vdso.kernel.images")
                .description("Distinct normalized vDSO images per kernel release").register(registry);
    }

    /** One row of the fleet per arch and kernel release. */
    record Cohort(String arch, String kernelRelease, long hosts, long images) {
    }

    @Scheduled(initialDelayString = "0s", fixedDelayString = "${vdso.metrics.fleet-refresh:30s}")
    void refresh() {
        List<Cohort> cohorts;
        try {
            cohorts = jdbc.sql("""
                    SELECT coalesce(i.arch, k.arch) AS arch, k.kernel_release, sum(k.hosts) AS hosts,
                           count(DISTINCT i.normalized_sha256) AS images
                    FROM kernel_image_hosts k LEFT JOIN images i ON i.sha256 = k.image_sha256
                    GROUP BY 1, 2
                    """)
                    .query((rs, row) -> new Cohort(rs.getString("arch"), rs.getString("kernel_release"),
                            rs.getLong("hosts"), rs.getLong("images")))
                    .list();
        } catch (DataAccessException e) {
            return; // the database is down: keep the last values; the ingest error counters tell the story
        }
        hosts.register(cohorts.stream().map(c -> MultiGauge.Row.of(tags(c), c.hosts())).toList(), true);
        images.register(cohorts.stream().map(c -> MultiGauge.Row.of(tags(c), c.images())).toList(), true);
        Map<String, Long> releasesPerArch = new TreeMap<>();
        cohorts.forEach(c -> releasesPerArch.merge(c.arch(), 1L, Long::sum));
        releases.register(releasesPerArch.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("arch", e.getKey()), e.getValue())).toList(), true);
    }

    private static Tags tags(Cohort cohort) {
        return Tags.of("arch", cohort.arch(), "kernel_release", cohort.kernelRelease());
    }
}
