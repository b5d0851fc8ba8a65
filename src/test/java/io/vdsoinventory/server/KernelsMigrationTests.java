package io.vdsoinventory.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migration V7 on a database that V6 wrote: each host names its kernel in {@code kernels} with the same identity it
 * had, detection finds the same hosts stale, and the kernel rollup stays exact, then and under later writes.
 */
class KernelsMigrationTests {

    private static final String IMAGE = "a".repeat(64);
    private static final String VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)";

    @Test
    void migrateWhenV6HostsThenKernelsSharedStalenessAndRollupKept() throws Exception {
        MigrationTesting.migrateAcross("6", jdbc -> {
            writeUnderV6(jdbc);
            return rollup(jdbc);
        }, "7", (jdbc, rollupBefore) -> {
            assertThat(jdbc.sql("""
                    SELECT h.host_key || ' ' || coalesce(k.release || '|' || coalesce(k.version, '-') || '|' || k.arch
                                                         || '|' || coalesce(k.build_id, '-'), 'none')
                    FROM hosts h LEFT JOIN kernels k ON k.id = h.kernel_id ORDER BY h.id
                    """).query(String.class).list()).containsExactly(
                    "current 6.1.0-28-amd64|" + VERSION + "|x86_64|beef",
                    "rebooted 6.1.0-28-amd64|" + VERSION + "|x86_64|beef",
                    "rebuilt 6.1.0-28-amd64|" + VERSION + "|x86_64|cafe",
                    "bare 6.1.0-28-amd64|-|x86_64|-",
                    "enrolled none");
            assertThat(jdbc.sql("SELECT count(*) FROM kernels").query(Long.class).single()).isEqualTo(3);
            assertThat(stale(jdbc)).containsExactlyInAnyOrderEntriesOf(Map.of("current", false, "rebooted", true,
                    "rebuilt", false, "bare", false, "enrolled", true));
            assertThat(jdbc.sql("""
                    SELECT count(*) FROM information_schema.columns
                    WHERE table_name = 'hosts' AND column_name IN ('kernel_release', 'kernel_version', 'arch',
                                                                   'kernel_build_id')
                    """).query(Long.class).single()).isZero();
            assertThat(rollup(jdbc)).isEqualTo(rollupBefore);

            // the triggers read kernels now: a host moved to another kernel moves in the rollup
            jdbc.sql("UPDATE hosts SET kernel_id = (SELECT id FROM kernels WHERE build_id = 'cafe') "
                    + "WHERE host_key = 'current'").update();
            jdbc.sql("DELETE FROM host_detection WHERE host_id = (SELECT id FROM hosts WHERE host_key = 'bare')")
                    .update();
            jdbc.sql("DELETE FROM hosts WHERE host_key = 'bare'").update();
            assertThat(rollup(jdbc)).containsExactly(
                    "6.1.0-28-amd64|x86_64|beef|" + IMAGE + "=1",
                    "6.1.0-28-amd64|x86_64|cafe|" + IMAGE + "=2");
        });
    }

    /**
     * Five hosts as the V6 service wrote them: two on one kernel, one on a rebuild of it (another build-id), one
     * whose agent reads no version or build-id, one enrolled without a report; detection's records of the first
     * four, all matching their host but the rebooted one's.
     */
    private static void writeUnderV6(JdbcClient jdbc) {
        jdbc.sql("""
                INSERT INTO hosts (host_key, hostname, kernel_release, kernel_version, arch, kernel_build_id, boot_id,
                                   image_sha256)
                SELECT host_key, host_key, release, version, arch, build_id, boot_id,
                       CASE WHEN release IS NOT NULL THEN decode(:image, 'hex') END
                FROM (VALUES ('current', '6.1.0-28-amd64', :version, 'x86_64', 'beef', 'boot-1'),
                             ('rebooted', '6.1.0-28-amd64', :version, 'x86_64', 'beef', 'boot-9'),
                             ('rebuilt', '6.1.0-28-amd64', :version, 'x86_64', 'cafe', 'boot-2'),
                             ('bare', '6.1.0-28-amd64', NULL, 'x86_64', NULL, 'boot-3'),
                             ('enrolled', NULL, NULL, NULL, NULL, NULL))
                     AS h (host_key, release, version, arch, build_id, boot_id)
                """).param("version", VERSION).param("image", IMAGE).update();
        jdbc.sql("""
                INSERT INTO host_detection (host_id, observed, image_analyzed, seen_boot_id)
                SELECT h.id, host_observation(encode(h.image_sha256, 'hex'),
                                              CASE WHEN h.host_key = 'rebooted' THEN 'boot-2' ELSE h.boot_id END,
                                              h.kernel_release, h.kernel_version, h.arch), false, h.boot_id
                FROM hosts h WHERE h.kernel_release IS NOT NULL
                """).update();
    }

    /** Whether ingest finds detection's record of each host stale (the comparison of HostWriter). */
    private static Map<String, Boolean> stale(JdbcClient jdbc) {
        return jdbc.sql("""
                SELECT h.host_key, NOT EXISTS (SELECT 1 FROM host_detection d WHERE d.host_id = h.id
                    AND d.observed = host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_id)) AS stale
                FROM hosts h
                """).query((rs, row) -> Map.entry(rs.getString(1), rs.getBoolean(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<String> rollup(JdbcClient jdbc) {
        return jdbc.sql("""
                SELECT format('%s|%s|%s|%s=%s', kernel_release, arch, kernel_build_id, image_sha256, hosts)
                FROM kernel_image_hosts ORDER BY 1
                """).query(String.class).list();
    }
}
