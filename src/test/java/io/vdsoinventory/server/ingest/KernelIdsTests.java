package io.vdsoinventory.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class KernelIdsTests extends ServiceTestSupport {

    @Autowired
    private KernelIds kernels;

    @Test
    void idOfWhenSameKernelOtherBootThenSameIdAndOneRow() {
        String release = "6.1.0-ids-" + uniqueKey().substring(0, 8);
        int first = kernels.idOf(new KernelFacts(release, "#1 SMP", "x86_64", "beef", "boot-1"));

        assertThat(kernels.idOf(new KernelFacts(release, "#1 SMP", "x86_64", "beef", "boot-2"))).isEqualTo(first);
        assertThat(kernels.idOf(new KernelFacts(release, "#1 SMP", "x86_64", "cafe", "boot-1"))).isNotEqualTo(first);
        assertThat(kernels.idOf(new KernelFacts(release, null, "x86_64", null, null))).isNotEqualTo(first);
        assertThat(count("SELECT count(*) FROM kernels WHERE release = :r", Map.of("r", release))).isEqualTo(3);
        assertThat(count("""
                SELECT count(*) FROM kernels WHERE id = :id AND release = :r AND version = '#1 SMP' AND arch = 'x86_64'
                    AND build_id = 'beef'
                """, Map.of("id", first, "r", release))).isOne();
    }

    @Test
    void idOfWhenEightFirstReportsOfANewKernelAtOnceThenOneRowAndOneId() throws Exception {
        String release = "6.1.0-race-" + uniqueKey().substring(0, 8);
        KernelFacts kernel = new KernelFacts(release, null, "aarch64", null, null);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(callers.submit(() -> {
                    start.await();
                    return kernels.idOf(kernel);
                }));
            }
            start.countDown();
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM kernels WHERE release = :r", Map.of("r", release))).isOne();
    }
}
