package io.vdsoinventory.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.server.ServiceTestSupport;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.security.Enrollment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.TaskScheduler;

/** The in-process agent, run once against the shared service (the suite turns the scheduled one off). */
class SelfReporterTests extends ServiceTestSupport {

    @Autowired
    private IngestService ingest;

    @Autowired
    private Enrollment enrollment;

    @Autowired
    private TaskScheduler scheduler;

    @Autowired
    private VdsoProperties properties;

    @Test
    void reportOnceWhenRunTwiceThenThisHostOnceWithItsAnalysedVdso() {
        String hostKey = uniqueKey();
        VdsoProperties selfReporting = new VdsoProperties(properties.dataDir(), null, null, properties.embeddedDb(),
                properties.ingest(), new VdsoProperties.SelfReport(true, hostKey));
        SelfReporter reporter = new SelfReporter(ingest, enrollment, scheduler, selfReporting);

        reporter.reportOnce();
        reporter.reportOnce();

        assertThat(jdbc.sql("SELECT k.release FROM hosts h JOIN kernels k ON k.id = h.kernel_id "
                + "WHERE h.host_key = :k")
                .param("k", hostKey).query(String.class).single())
                .isEqualTo(System.getProperty("os.version"));
        assertThat(count("""
                SELECT count(*) FROM hosts h JOIN images i ON i.sha256 = encode(h.image_sha256, 'hex')
                WHERE h.host_key = :k AND i.status = 'ANALYZED'
                """, Map.of("k", hostKey))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM host_events e JOIN hosts h ON h.id = e.host_id WHERE h.host_key = :k",
                Map.of("k", hostKey))).as("ENROLLED and FIRST_REPORT only: the second report is a steady heartbeat")
                .isEqualTo(2);
    }
}
