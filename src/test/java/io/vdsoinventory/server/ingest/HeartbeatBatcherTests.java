package io.vdsoinventory.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.server.ServiceTestSupport;
import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.vdso.ImageFacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class HeartbeatBatcherTests extends ServiceTestSupport {

    private static final String RELEASE = "6.1.0-batch";
    private static final byte[] IMAGE = vdsoImage();

    @Autowired
    private HeartbeatBatcher batcher;
    @Autowired
    private KernelIds kernels;
    @Autowired
    private VdsoProperties properties;

    @Test
    void applyWhenManyHostsAtOnceThenEachSteadyHeartbeatWrittenAndEachCallerGetsItsOwnAnswer() throws Exception {
        int hosts = 48;
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            Agent agent = enroll(uniqueKey(), "batch-" + i);
            if (i % 2 == 0) {
                reportImage(agent, "batch-" + i, RELEASE, IMAGE, Map.of());
            } else {
                api(agent.nodeKey()).contentType("application/json")
                        .body(report("batch-" + i, RELEASE, unstoredSha(i), Map.of()))
                        .post("/agent/reports").then().statusCode(200);
            }
            agents.add(agent);
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<HeartbeatBatcher.Steady>>> answers = new ArrayList<>();
        // at most vdso.ingest.max-concurrent callers at once, as the ingest limiter admits them: the queue holds as many
        ExecutorService callers = Executors.newFixedThreadPool(properties.ingest().maxConcurrent());
        try {
            for (int i = 0; i < hosts; i++) {
                int host = i;
                // every third host was renamed: not steady, so it must be answered empty and left unwritten
                String hostname = host % 3 == 0 ? "renamed-" + host : "batch-" + host;
                answers.add(callers.submit(() -> {
                    start.await();
                    return batcher.apply(agents.get(host).hostId(), kernels.idOf(kernel()), heartbeat(host, hostname));
                }));
            }
            start.countDown();
            for (int i = 0; i < hosts; i++) {
                Optional<HeartbeatBatcher.Steady> answer = answers.get(i).get();
                int scanned = jdbc.sql("SELECT coalesce(processes_scanned, -1) FROM hosts WHERE id = :id")
                        .param("id", agents.get(i).hostId()).query(Integer.class).single();
                if (i % 3 == 0) {
                    assertThat(answer).as("host %d", i).isEmpty();
                    assertThat(scanned).as("host %d", i).isEqualTo(-1);
                } else {
                    assertThat(answer).as("host %d", i).isPresent();
                    assertThat(answer.orElseThrow().imageStored()).as("host %d", i).isEqualTo(i % 2 == 0);
                    assertThat(scanned).as("host %d", i).isEqualTo(1000 + i);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void applyWhenStatementFailsThenItsCallerGetsTheFailureAndLaterHeartbeatsAreWritten() {
        Agent agent = enroll(uniqueKey(), "batch-fail");
        reportImage(agent, "batch-fail", RELEASE, IMAGE, Map.of());

        // PostgreSQL text cannot hold NUL: the statement carrying this heartbeat fails
        int kernelId = kernels.idOf(kernel());
        assertThatThrownBy(() -> batcher.apply(agent.hostId(), kernelId, heartbeat(0, "batch-\u0000fail")))
                .isInstanceOf(RuntimeException.class);

        ReportRequest steady = new ReportRequest(UUID.randomUUID(), "batch-fail", Map.of(), kernel(),
                ImageFacts.of(IMAGE), new ProcessScanSummary(7, 0));
        assertThat(batcher.apply(agent.hostId(), kernelId, steady))
                .hasValueSatisfying(s -> assertThat(s.imageStored()).isTrue());
        assertThat(count("SELECT count(*) FROM hosts WHERE id = :id AND processes_scanned = 7",
                Map.of("id", agent.hostId()))).isOne();
    }

    private static ReportRequest heartbeat(int host, String hostname) {
        VdsoFacts vdso = host % 2 == 0 ? ImageFacts.of(IMAGE) : new VdsoFacts(unstoredSha(host), null, null, 8192);
        return new ReportRequest(UUID.randomUUID(), hostname, Map.of(), kernel(), vdso,
                new ProcessScanSummary(1000 + host, 0));
    }

    private static KernelFacts kernel() {
        return new KernelFacts(RELEASE, "#1 SMP PREEMPT_DYNAMIC", "x86_64", null, "boot-1");
    }

    private static String unstoredSha(int host) {
        return Sha256.of(("never uploaded " + host).getBytes(StandardCharsets.US_ASCII));
    }
}
