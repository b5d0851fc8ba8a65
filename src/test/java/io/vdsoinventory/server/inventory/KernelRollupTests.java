package io.vdsoinventory.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.ServiceTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The rollup behind {@code GET /kernels} (kernel_image_hosts, kept by triggers on hosts) always equals grouping the
 * hosts themselves, whatever the writes. Each test writes hosts of its own kernel releases and compares those only.
 */
class KernelRollupTests extends ServiceTestSupport {

    private static final String[] ARCHES = {"x86_64", "aarch64", null};
    private static final String[] BUILD_IDS = {"aa01", "bb02", null};
    private static final String[] IMAGES = {Sha256.of(new byte[] {1}), Sha256.of(new byte[] {2}),
            Sha256.of(new byte[] {3}), null};
    /** The id of the test's kernel {@code :release}, {@code :arch}, {@code :buildId}; none for no release. */
    private static final String KERNEL = """
            (SELECT id FROM kernels WHERE release = :release AND arch IS NOT DISTINCT FROM CAST(:arch AS text)
                AND build_id IS NOT DISTINCT FROM CAST(:buildId AS text) AND version IS NULL)""";

    @Test
    void rollupWhenRandomInsertsUpdatesAndDeletesThenEqualsHostsGrouped() {
        String releases = kernels();
        Random random = new Random(7);
        List<Long> hosts = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int op = hosts.size() < 5 ? 0 : random.nextInt(6);
            if (op <= 1) {
                hosts.addAll(insert(random, releases, 1 + random.nextInt(op == 0 ? 1 : 6)));
            } else if (op == 2) {
                updateOne(random, releases, hosts.get(random.nextInt(hosts.size())));
            } else if (op == 3) {
                jdbc.sql("UPDATE hosts SET image_sha256 = decode(:image, 'hex') WHERE id = ANY (:ids)")
                        .param("image", pick(random, IMAGES))
                        .param("ids", sample(random, hosts, 4).toArray(Long[]::new))
                        .update();
            } else if (op == 4) {
                jdbc.sql("UPDATE hosts SET last_seen = now() WHERE id = :id")
                        .param("id", hosts.get(random.nextInt(hosts.size()))).update();
            } else {
                List<Long> gone = sample(random, hosts, 3);
                jdbc.sql("DELETE FROM hosts WHERE id = ANY (:ids)").param("ids", gone.toArray(Long[]::new)).update();
                hosts.removeAll(gone);
            }
        }

        assertThat(rollup(releases)).isNotEmpty().isEqualTo(hostsGrouped(releases));
        assertRollupEmptiedWhenHostsDeleted(releases);
    }

    @Test
    void rollupWhenEightWritersMoveHostsBetweenTheSameKernelsThenExact() throws Exception {
        String releases = kernels();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                Random random = new Random(writer);
                done.add(writers.submit(() -> {
                    List<Long> own = new ArrayList<>(insert(random, releases, 20));
                    for (int step = 0; step < 60; step++) {
                        int op = random.nextInt(4);
                        if (op == 0) {
                            own.addAll(insert(random, releases, 1 + random.nextInt(5)));
                        } else if (op == 3 && own.size() > 1) {
                            jdbc.sql("DELETE FROM hosts WHERE id = :id").param("id", own.remove(0)).update();
                        } else {
                            updateOne(random, releases, own.get(random.nextInt(own.size())));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }

        assertThat(rollup(releases)).isNotEmpty().isEqualTo(hostsGrouped(releases));
        assertRollupEmptiedWhenHostsDeleted(releases);
    }

    /** Deletes the test's hosts (other tests of the shared database read /kernels) and checks their groups go. */
    private void assertRollupEmptiedWhenHostsDeleted(String releases) {
        jdbc.sql("DELETE FROM hosts WHERE kernel_id IN (SELECT id FROM kernels WHERE release LIKE :releases || '%')")
                .param("releases", releases).update();
        assertThat(rollup(releases)).isEmpty();
    }

    /** Inserts {@code count} hosts in one statement: one in random columns, several spread over the kernels. */
    private List<Long> insert(Random random, String releases, int count) {
        if (count == 1) {
            return jdbc.sql("""
                    INSERT INTO hosts (host_key, hostname, kernel_id, image_sha256)
                    VALUES (:key, 'rollup', %s, decode(:image, 'hex')) RETURNING id
                    """.formatted(KERNEL))
                    .param("key", uniqueKey())
                    .param("release", release(random, releases))
                    .param("arch", pick(random, ARCHES))
                    .param("buildId", pick(random, BUILD_IDS))
                    .param("image", pick(random, IMAGES))
                    .query(Long.class).list();
        }
        return jdbc.sql("""
                INSERT INTO hosts (host_key, hostname, kernel_id, image_sha256)
                SELECT gen_random_uuid()::text, 'rollup', k.id, decode((ARRAY[:images])[n % 3 + 1], 'hex')
                FROM generate_series(:from, :from + :count - 1) n
                JOIN kernels k ON k.release = :releases || (n % 3) AND k.arch = (ARRAY['x86_64', 'aarch64'])[n % 2 + 1]
                    AND k.build_id IS NULL AND k.version IS NULL
                RETURNING id
                """)
                .param("releases", releases)
                .param("images", List.of(IMAGES[0], IMAGES[1], IMAGES[2]))
                .param("from", random.nextInt(100))
                .param("count", count)
                .query(Long.class).list();
    }

    /**
     * Moves a host to another kernel (another release, arch or build-id, or none), another image, both, or neither.
     */
    private void updateOne(Random random, String releases, long id) {
        jdbc.sql("""
                UPDATE hosts SET kernel_id = CASE WHEN :k THEN %s ELSE kernel_id END,
                                 image_sha256 = CASE WHEN :i THEN decode(:image, 'hex') ELSE image_sha256 END
                WHERE id = :id
                """.formatted(KERNEL))
                .param("k", random.nextBoolean()).param("release", release(random, releases))
                .param("arch", pick(random, ARCHES)).param("buildId", pick(random, BUILD_IDS))
                .param("i", random.nextBoolean()).param("image", pick(random, IMAGES))
                .param("id", id)
                .update();
    }

    /** Kernels of three releases of this test's own, in every arch and build-id of the test; their common prefix. */
    private String kernels() {
        String releases = "rollup-" + uniqueKey().substring(0, 8) + "-";
        jdbc.sql("""
                INSERT INTO kernels (release, arch, build_id)
                SELECT :releases || r, a, b FROM generate_series(0, 2) r, unnest(CAST(:arches AS text[])) a,
                                                 unnest(CAST(:buildIds AS text[])) b
                """).param("releases", releases).param("arches", ARCHES).param("buildIds", BUILD_IDS).update();
        return releases;
    }

    /** One of three kernel releases of this test, or none (a host enrolled but not yet reported). */
    private static @Nullable String release(Random random, String releases) {
        int n = random.nextInt(4);
        return n == 3 ? null : releases + n;
    }

    private static @Nullable String pick(Random random, @Nullable String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static List<Long> sample(Random random, List<Long> from, int most) {
        List<Long> sample = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            Long id = from.get(random.nextInt(from.size()));
            if (!sample.contains(id)) {
                sample.add(id);
            }
        }
        return sample;
    }

    private List<String> rollup(String releases) {
        return jdbc.sql("""
                SELECT format('%s|%s|%s|%s=%s', kernel_release, arch, kernel_build_id, image_sha256, hosts)
                FROM kernel_image_hosts WHERE kernel_release LIKE :releases || '%' ORDER BY 1
                """).param("releases", releases).query(String.class).list();
    }

    private List<String> hostsGrouped(String releases) {
        return jdbc.sql("""
                SELECT format('%s|%s|%s|%s=%s', k.release, k.arch, k.build_id, encode(h.image_sha256, 'hex'),
                              count(*))
                FROM hosts h JOIN kernels k ON k.id = h.kernel_id WHERE k.release LIKE :releases || '%'
                GROUP BY k.release, k.arch, k.build_id, h.image_sha256 ORDER BY 1
                """).param("releases", releases).query(String.class).list();
    }
}
