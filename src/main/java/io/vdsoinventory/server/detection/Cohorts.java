package io.vdsoinventory.server.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cohort counts and baselines. Counts change only when a host joins or leaves a variant (one upsert each), and a
 * baseline is computed from the cohort's few variant rows and the trust decisions that concern them, so no
 * evaluation scans the fleet.
 */
@Repository
class Cohorts {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final int quorum;

    Cohorts(JdbcClient jdbc, JsonMapper json, DetectionProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.quorum = properties.quorum();
    }

    /** Moves a host's counts from the memberships it left to the ones it joined, in key order (no deadlocks). */
    void move(List<Membership> left, List<Membership> joined) {
        Map<Membership, Integer> deltas = new TreeMap<>(Membership.KEY_ORDER);
        left.forEach(membership -> deltas.merge(membership, -1, Integer::sum));
        joined.forEach(membership -> deltas.merge(membership, 1, Integer::sum));
        deltas.forEach((membership, delta) -> {
            if (delta != 0) {
                count(membership.cohort().key(), membership.variant(), delta);
            }
        });
    }

    /** Adds {@code delta} hosts to a variant of a cohort. */
    private void count(String cohort, String variant, int delta) {
        jdbc.sql("""
                INSERT INTO cohort_variants (cohort, variant, hosts) VALUES (:cohort, :variant, greatest(:delta, 0))
                ON CONFLICT (cohort, variant) DO UPDATE SET hosts = greatest(cohort_variants.hosts + :delta, 0)
                """)
                .param("cohort", cohort)
                .param("variant", variant)
                .param("delta", delta)
                .update();
    }

    /** Where a baseline comes from. */
    enum Source { TRUSTED, MAJORITY, NONE }

    /**
     * A cohort's baseline: the variants an admin trusted (or a reference image declares), else the majority
     * variant once {@code quorum} hosts agree and no other candidate has as many, else none. Blocked variants and
     * variants a live PEER_MISMATCH finding of the cohort is about are no candidates: count alone never makes
     * bytes that were judged different, or bytes an admin rejected, the baseline.
     *
     * @param variants the hosts per variant, largest first (at most 20, for evidence)
     * @param changed whether this differs from the baseline the cohort was last evaluated against
     */
    record Baseline(Source source, List<String> accepted, Map<String, Long> variants, boolean changed) {

        boolean accepts(String variant) {
            return accepted.contains(variant);
        }
    }

    /** The current baseline of {@code cohort}, stored when it changed. */
    Baseline baseline(Cohort cohort) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT variant, hosts FROM cohort_variants WHERE cohort = :cohort AND hosts > 0 ORDER BY hosts DESC, variant")
                .param("cohort", cohort.key())
                .query((rs, row) -> counts.put(rs.getString("variant"), rs.getLong("hosts")))
                .list();
        Map<String, String> trust = trust(cohort, List.copyOf(counts.keySet()));
        TreeSet<String> trusted = new TreeSet<>();
        trust.forEach((variant, verdict) -> {
            if ("TRUSTED".equals(verdict)) {
                trusted.add(variant);
            }
        });
        Source source;
        List<String> accepted;
        if (!trusted.isEmpty()) {
            source = Source.TRUSTED;
            accepted = List.copyOf(trusted);
        } else {
            List<String> flagged = flagged(cohort);
            List<Map.Entry<String, Long>> candidates = counts.entrySet().stream()
                    .filter(e -> !"BLOCKED".equals(trust.get(e.getKey())) && !flagged.contains(e.getKey()))
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .toList();
            boolean majority = !candidates.isEmpty() && candidates.get(0).getValue() >= quorum
                    && (candidates.size() == 1 || candidates.get(0).getValue() > candidates.get(1).getValue());
            source = majority ? Source.MAJORITY : Source.NONE;
            accepted = majority ? List.of(candidates.get(0).getKey()) : List.of();
        }
        boolean changed = store(cohort, source, accepted);
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream().limit(20).forEach(e -> top.put(e.getKey(), e.getValue()));
        return new Baseline(source, accepted, top, changed);
    }

    /** The variants of the cohort that hosts with a live PEER_MISMATCH finding about it run. */
    private List<String> flagged(Cohort cohort) {
        return jdbc.sql("SELECT DISTINCT v.variant FROM findings f JOIN host_detection d ON d.host_id = f.host_id "
                        + "JOIN cohort_variants v ON v.id = d." + cohort.type().membershipColumn
                        + " WHERE f.kind = 'PEER_MISMATCH' AND f.subject = :cohort AND f.status <> 'RESOLVED'")
                .param("cohort", cohort.key())
                .query(String.class)
                .list();
    }

    /** The trust verdict of each variant (and every variant a reference image declares for a kernel cohort). */
    private Map<String, String> trust(Cohort cohort, List<String> variants) {
        Map<String, String> trust = new LinkedHashMap<>();
        if (cohort.type() == Cohort.Type.BUILD) {
            jdbc.sql("SELECT normalized_sha256, verdict FROM image_trust WHERE build_id = :buildId")
                    .param("buildId", cohort.buildId())
                    .query((rs, row) -> trust.put(rs.getString(1), rs.getString(2)))
                    .list();
            return trust;
        }
        Cohort.KernelIdentity identity = cohort.identity(json);
        jdbc.sql("""
                SELECT coalesce(build_id, 'sha:' || normalized_sha256), verdict FROM image_trust
                WHERE coalesce(build_id, 'sha:' || normalized_sha256) = ANY(:variants)
                UNION ALL
                SELECT coalesce(build_id, 'sha:' || normalized_sha256), 'TRUSTED' FROM reference_images
                WHERE kernel_release = :release AND kernel_version = :version AND arch = :arch
                """)
                .param("variants", variants.toArray(String[]::new))
                .param("release", identity.release())
                .param("version", identity.version())
                .param("arch", identity.arch())
                .query((rs, row) -> trust.merge(rs.getString(1), rs.getString(2),
                        (a, b) -> "TRUSTED".equals(a) || "TRUSTED".equals(b) ? "TRUSTED" : a))
                .list();
        return trust;
    }

    private boolean store(Cohort cohort, Source source, List<String> accepted) {
        record Stored(Source source, List<String> accepted) {
        }
        Optional<Stored> before = jdbc.sql("SELECT source, baseline FROM cohorts WHERE cohort = :cohort")
                .param("cohort", cohort.key())
                .query((rs, row) -> new Stored(Source.valueOf(rs.getString("source")),
                        List.of((String[]) rs.getArray("baseline").getArray())))
                .optional();
        Stored now = new Stored(source, accepted);
        if (before.isPresent() && before.get().equals(now)) {
            return false;
        }
        jdbc.sql("""
                INSERT INTO cohorts (cohort, baseline, source) VALUES (:cohort, :baseline, :source)
                ON CONFLICT (cohort) DO UPDATE SET baseline = EXCLUDED.baseline, source = EXCLUDED.source,
                                                   updated_at = now()
                """)
                .param("cohort", cohort.key())
                .param("baseline", accepted.toArray(String[]::new))
                .param("source", source.name())
                .update();
        // a first baseline of none has nothing to re-evaluate: no host was judged against another one
        return before.isPresent() || source != Source.NONE;
    }

    /** The bytes of an image (or reference) of one of the accepted variants of a build cohort. */
    Optional<byte[]> baselineImage(List<String> accepted) {
        return jdbc.sql("""
                SELECT bytes FROM (
                    (SELECT bytes FROM images WHERE normalized_sha256 = ANY(:accepted) AND status = 'ANALYZED' LIMIT 1)
                    UNION ALL
                    (SELECT bytes FROM reference_images WHERE normalized_sha256 = ANY(:accepted) LIMIT 1)) b
                LIMIT 1
                """)
                .param("accepted", accepted.toArray(String[]::new))
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    /** Up to five hosts running an accepted variant of the cohort: the peers named in evidence. */
    List<Long> peers(Cohort cohort, List<String> accepted) {
        if (accepted.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT host_id FROM host_detection WHERE " + cohort.type().membershipColumn + " IN "
                        + "(SELECT id FROM cohort_variants WHERE cohort = :cohort AND variant = ANY(:accepted)) "
                        + "ORDER BY host_id LIMIT 5")
                .param("cohort", cohort.key())
                .param("accepted", accepted.toArray(String[]::new))
                .query(Long.class)
                .list();
    }

    /**
     * The hosts whose PEER_MISMATCH verdict in {@code cohort} may differ under its current baseline: those off the
     * baseline and those with a live finding about the cohort, in id order after {@code afterId}.
     */
    List<Long> affected(Cohort cohort, List<String> accepted, long afterId, int limit) {
        // without a baseline nobody is off it: only live findings can change (they resolve)
        String offBaseline = accepted.isEmpty() ? "" : "SELECT host_id FROM host_detection WHERE "
                + cohort.type().membershipColumn + " IN (SELECT id FROM cohort_variants WHERE cohort = :cohort "
                + "AND NOT (variant = ANY(:accepted))) UNION ";
        return jdbc.sql("SELECT host_id FROM (" + offBaseline + "SELECT host_id FROM findings WHERE kind = 'PEER_MISMATCH' AND subject = :cohort "
                        + "AND status <> 'RESOLVED') a WHERE host_id > :afterId ORDER BY host_id LIMIT :limit")
                .param("cohort", cohort.key())
                .param("accepted", accepted.toArray(String[]::new))
                .param("afterId", afterId)
                .param("limit", limit)
                .query(Long.class)
                .list();
    }

    /** The cohorts where {@code normalizedSha256} (with {@code buildId}) is or may become a variant. */
    List<Cohort> concerning(String normalizedSha256, @Nullable String buildId) {
        List<Cohort> cohorts = new ArrayList<>();
        if (buildId != null) {
            cohorts.add(Cohort.build(buildId));
        }
        jdbc.sql("SELECT DISTINCT cohort FROM cohort_variants WHERE variant = :variant AND cohort LIKE 'kernel:%'")
                .param("variant", Cohort.kernelVariant(buildId, normalizedSha256))
                .query(String.class)
                .list()
                .forEach(key -> cohorts.add(Cohort.parse(key)));
        return cohorts.stream().distinct().toList();
    }
}
