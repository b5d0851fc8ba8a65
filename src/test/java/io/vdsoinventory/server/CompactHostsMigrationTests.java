package io.vdsoinventory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migration V6 on a database that V5 wrote: detection's record of each host keeps its meaning (which hosts are
 * stale, which cohort variant each counts in, what it was last seen running), in the new shape.
 */
class CompactHostsMigrationTests {

    private static final String IMAGE = "a".repeat(64);
    private static final String NORMALIZED = "b".repeat(64);
    private static final String BUILD_ID = "c".repeat(40);
    /** A real {@code uname -v}, with the characters JSON escapes. */
    private static final String VERSION = "#1 SMP PREEMPT_DYNAMIC \"Debian\" 6.1.158-1 \\ (2025-11-09)";
    private static final String KERNEL = "6.1.0-28-amd64\n" + VERSION + "\nx86_64";
    private static final String BUILD_COHORT = "build:" + BUILD_ID;
    private static final String KERNEL_COHORT =
            "kernel:[\"6.1.0-28-amd64\",\"#1 SMP PREEMPT_DYNAMIC \\\"Debian\\\" 6.1.158-1 \\\\ (2025-11-09)\",\"x86_64\"]";

    @Test
    void migrateWhenV5DetectionRecordsThenSameStalenessMembershipsAndSeenObservation() throws Exception {
        MigrationTesting.migrateAcross("5", jdbc -> {
            writeUnderV5(jdbc);
            return null;
        }, "6", (jdbc, none) -> {
            // current: evaluated as it is; rebooted: its boot changed since; bare: reports no image any more
            assertThat(stale(jdbc)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("current", false, "rebooted", true, "bare", false));
            assertThat(jdbc.sql("""
                    SELECT h.host_key, b.cohort, b.variant, k.cohort, k.variant, d.seen_normalized, d.seen_boot_id,
                           d.seen_kernel
                    FROM host_detection d JOIN hosts h ON h.id = d.host_id
                    LEFT JOIN cohort_variants b ON b.id = d.build_membership
                    LEFT JOIN cohort_variants k ON k.id = d.kernel_membership
                    ORDER BY h.id
                    """).query((rs, row) -> List.of(rs.getString(1), String.valueOf(rs.getString(2)),
                            String.valueOf(rs.getString(3)), String.valueOf(rs.getString(4)),
                            String.valueOf(rs.getString(5)), String.valueOf(rs.getString(6)),
                            String.valueOf(rs.getString(7)), String.valueOf(rs.getString(8)))).list())
                    .containsExactly(
                            // in both cohorts: what they were seen running is what their memberships name
                            List.of("current", BUILD_COHORT, NORMALIZED, KERNEL_COHORT, BUILD_ID, "null", "boot-1",
                                    "null"),
                            List.of("rebooted", BUILD_COHORT, NORMALIZED, KERNEL_COHORT, BUILD_ID, "null", "boot-2",
                                    "null"),
                            // in no cohort: keeps its own record of the last analysed observation
                            List.of("bare", "null", "null", "null", "null", NORMALIZED, "boot-3", KERNEL));
            assertThat(jdbc.sql("SELECT hosts FROM cohort_variants ORDER BY cohort").query(Long.class).list())
                    .containsExactly(2L, 2L);
            assertThat(jdbc.sql("SELECT indexdef FROM pg_indexes WHERE tablename = 'hosts' ORDER BY indexname")
                    .query(String.class).list())
                    .anyMatch(def -> def.endsWith("USING btree (image_sha256)"))
                    .noneMatch(def -> def.contains(", id)"));
            // one key per hash still
            jdbc.sql("INSERT INTO node_keys (key_hash, host_id) VALUES (sha256('k'), 1)").update();
            assertThatThrownBy(() -> jdbc.sql("INSERT INTO node_keys (key_hash, host_id) VALUES (sha256('k'), 2)")
                    .update()).hasMessageContaining("node_keys_key_hash");
        });
    }

    /** Three hosts and detection's records of them, as the V5 service wrote them. */
    private static void writeUnderV5(JdbcClient jdbc) {
        jdbc.sql("""
                INSERT INTO images (sha256, status, size, bytes, normalized_sha256, build_id, arch)
                VALUES (:image, 'ANALYZED', 1, '\\x00', :normalized, :buildId, 'x86_64')
                """).param("image", IMAGE).param("normalized", NORMALIZED).param("buildId", BUILD_ID).update();
        jdbc.sql("""
                INSERT INTO hosts (host_key, hostname, kernel_release, kernel_version, arch, boot_id, image_sha256)
                VALUES ('current', 'current', '6.1.0-28-amd64', :version, 'x86_64', 'boot-1', :image),
                       ('rebooted', 'rebooted', '6.1.0-28-amd64', :version, 'x86_64', 'boot-9', :image),
                       ('bare', 'bare', '6.1.0-28-amd64', :version, 'x86_64', 'boot-3', NULL)
                """).param("version", VERSION).param("image", IMAGE).update();
        jdbc.sql("""
                INSERT INTO cohort_variants (cohort, variant, hosts)
                VALUES (:buildCohort, :normalized, 2), (:kernelCohort, :buildId, 2)
                """).param("buildCohort", BUILD_COHORT).param("normalized", NORMALIZED)
                .param("kernelCohort", KERNEL_COHORT).param("buildId", BUILD_ID).update();
        jdbc.sql("""
                INSERT INTO host_detection (host_id, image_sha256, image_analyzed, boot_id, kernel, seen_normalized,
                    seen_boot_id, seen_kernel, build_cohort, build_variant, kernel_cohort, kernel_variant)
                SELECT h.id, h.image_sha256, h.image_sha256 IS NOT NULL, d.boot_id, :kernel, :normalized,
                       d.boot_id, :kernel, d.build_cohort, d.build_variant, d.kernel_cohort, d.kernel_variant
                FROM hosts h JOIN (VALUES
                    ('current', 'boot-1', :buildCohort, :normalized, :kernelCohort, :buildId),
                    ('rebooted', 'boot-2', :buildCohort, :normalized, :kernelCohort, :buildId),
                    ('bare', 'boot-3', NULL, NULL, NULL, NULL))
                    AS d (host_key, boot_id, build_cohort, build_variant, kernel_cohort, kernel_variant)
                    ON d.host_key = h.host_key
                """).param("kernel", KERNEL).param("normalized", NORMALIZED).param("buildCohort", BUILD_COHORT)
                .param("kernelCohort", KERNEL_COHORT).param("buildId", BUILD_ID).update();
    }

    /** Whether ingest finds detection's record of each host stale (the comparison of HostWriter). */
    private static Map<String, Boolean> stale(JdbcClient jdbc) {
        return jdbc.sql("""
                SELECT h.host_key, NOT EXISTS (SELECT 1 FROM host_detection d WHERE d.host_id = h.id
                    AND d.observed = host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_release,
                        h.kernel_version, h.arch)) AS stale
                FROM hosts h
                """).query((rs, row) -> Map.entry(rs.getString(1), rs.getBoolean(2))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
