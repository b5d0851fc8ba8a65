package io.vdsoinventory.server.detection;

import io.vdsoinventory.server.AfterCommit;
import io.vdsoinventory.server.findings.FindingStore;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.ImageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates one host against every rule, inside the caller's transaction, and reconciles its findings: opens the
 * ones whose condition holds, resolves the ones whose condition cleared. Idempotent: evaluating an unchanged host
 * again changes nothing. Reads only the host, its image's cached verdict, its live findings and its cohorts.
 */
@Component
class HostEvaluator {

    /** The kinds an analysed (or malformed) image decides; a pending image leaves them as they are. */
    private static final Set<FindingKind> IMAGE_KINDS = EnumSet.of(FindingKind.UNKNOWN_SYMBOL,
            FindingKind.UNEXPECTED_VERSION, FindingKind.STRUCTURAL_ANOMALY, FindingKind.UNTRUSTED_IMAGE,
            FindingKind.PEER_MISMATCH);

    /** The kinds whose evidence follows the host's latest observation while the finding stays open. */
    private static final Set<FindingKind> REFRESHED_KINDS = EnumSet.of(FindingKind.PROCESS_VDSO_MISMATCH);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final FindingStore findings;
    private final ImageVerdicts verdicts;
    private final Cohorts cohorts;
    private final DetectionMetrics metrics;
    private final AgentEvidence agentEvidence;
    private final boolean allowlist;

    HostEvaluator(JdbcClient jdbc, JsonMapper json, FindingStore findings, ImageVerdicts verdicts, Cohorts cohorts,
            DetectionMetrics metrics, AgentEvidence agentEvidence, DetectionProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.findings = findings;
        this.verdicts = verdicts;
        this.cohorts = cohorts;
        this.metrics = metrics;
        this.agentEvidence = agentEvidence;
        this.allowlist = properties.allowlist();
    }

    /**
     * Whether a report's process scan or clock check differs from what detection stored of the host (by scan
     * digest and clock verdict). Ingest already told whether the rest of the host's state did
     * ({@link io.vdsoinventory.server.fleet.HostReported#detectionStale}), so a report without scan or clock check costs no statement here,
     * and one with them a single primary-key read.
     */
    boolean evidenceChanged(long hostId, AgentEvidence.Observed reported) {
        if (reported.scanDigest() == null && reported.clockConsistent() == null) {
            return false;
        }
        return jdbc.sql("""
                SELECT (CAST(:scanDigest AS text) IS NOT NULL AND process_scan_digest IS DISTINCT FROM :scanDigest)
                    OR (CAST(:clockConsistent AS boolean) IS NOT NULL AND clock_consistent IS DISTINCT FROM :clockConsistent)
                FROM host_detection WHERE host_id = :id
                """)
                .param("id", hostId)
                .param("scanDigest", reported.scanDigest())
                .param("clockConsistent", reported.clockConsistent())
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** What detection last recorded of a host ({@code host_detection}). */
    private record Snapshot(@Nullable String seenNormalized, @Nullable String seenBootId, @Nullable String seenKernel,
            @Nullable String buildCohort, @Nullable String buildVariant, @Nullable String kernelCohort,
            @Nullable String kernelVariant) {
    }

    /** The last analysed observation's normalized image and kernel (the {@code seen_*} columns). */
    private record Seen(@Nullable String normalized, @Nullable String kernel) {
    }

    /**
     * What the memberships of a host in a kernel cohort say it was seen running: the kernel is the cohort's
     * identity, the normalized image its variant's (both set by the same analysed observation, and kept together).
     * {@code host_detection} stores {@code seen_normalized} and {@code seen_kernel} as NULL when they are these.
     */
    private Optional<Seen> named(@Nullable String buildVariant, @Nullable String kernelCohort,
            @Nullable String kernelVariant) {
        if (kernelCohort == null || kernelVariant == null) {
            return Optional.empty();
        }
        return Optional.of(new Seen(Cohort.normalizedOf(buildVariant, kernelVariant),
                Cohort.parse(kernelCohort).identity(json).text()));
    }

    /** The host as the rules see it. */
    private record Host(long id, int kernelId, String release, String version, String arch, @Nullable String bootId,
            @Nullable String image, @Nullable ImageStatus status, @Nullable String normalized, @Nullable String buildId,
            @Nullable String imageArch, @Nullable String trust, @Nullable String trustNote,
            AgentEvidence.Observed stored, @Nullable Snapshot before) {

        String kernel() {
            return new Cohort.KernelIdentity(release, version, arch).text();
        }
    }

    private record Key(FindingKind kind, String subject) {
    }

    /**
     * Evaluates {@code hostId} (locking its row, as ingest does) with what its report observed (the stored
     * observation where it says nothing) and returns the cohorts whose baseline changed, which the caller
     * re-evaluates after commit.
     */
    List<Cohort> evaluate(long hostId, AgentEvidence.Observed reported) {
        Optional<Host> loaded = load(hostId);
        if (loaded.isEmpty()) {
            return List.of();
        }
        Host host = loaded.get();
        AgentEvidence.Observed observed = reported.or(host.stored());
        List<FindingStore.Live> live = findings.live(host.id());
        Map<Key, Map<String, @Nullable Object>> desired = new LinkedHashMap<>();
        Set<FindingKind> judged = EnumSet.of(FindingKind.NO_VDSO, FindingKind.HOST_SILENT);
        List<Cohort> changedCohorts = new ArrayList<>();
        String buildCohort = null;
        String buildVariant = null;
        String kernelCohort = null;
        String kernelVariant = null;
        Snapshot before = host.before();
        String seenNormalized = before == null ? null : before.seenNormalized();
        String seenBootId = before == null ? null : before.seenBootId();
        String seenKernel = before == null ? null : before.seenKernel();

        if (host.image() == null) {
            desired.put(new Key(FindingKind.NO_VDSO, ""), Map.of("kernelRelease", host.release()));
            judged.addAll(IMAGE_KINDS);
        } else if (host.status() != null) {
            judged.addAll(IMAGE_KINDS);
            verdicts.of(host.image()).orElseThrow().forEach(f -> desired.put(new Key(f.kind(), f.subject()), f.evidence()));
        }
        if (host.status() == ImageStatus.ANALYZED) {
            String normalized = Objects.requireNonNull(host.normalized());
            untrusted(host).ifPresent(evidence -> desired.put(new Key(FindingKind.UNTRUSTED_IMAGE, normalized), evidence));
            if (host.buildId() != null) {
                buildCohort = Cohort.build(host.buildId()).key();
                buildVariant = normalized;
            }
            kernelCohort = Cohort.kernel(json, new Cohort.KernelIdentity(host.release(), host.version(), host.arch())).key();
            kernelVariant = Cohort.kernelVariant(host.buildId(), normalized);
            transitions(host, seenNormalized, seenBootId, seenKernel);
            seenNormalized = normalized;
            seenBootId = host.bootId();
            seenKernel = host.kernel();
        }
        if (host.status() != null || host.image() == null) {
            move(before, buildCohort, buildVariant, kernelCohort, kernelVariant);
            peer(host, buildCohort, buildVariant, live, desired, changedCohorts);
            peer(host, kernelCohort, kernelVariant, live, desired, changedCohorts);
        } else if (before != null) {
            // image pending: keep the host where it was counted until its bytes are analysed
            buildCohort = before.buildCohort();
            buildVariant = before.buildVariant();
            kernelCohort = before.kernelCohort();
            kernelVariant = before.kernelVariant();
        }
        if (observed.scan() != null) {
            judged.add(FindingKind.PROCESS_VDSO_MISMATCH);
            agentEvidence.processMismatch(observed.scan()).ifPresent(
                    evidence -> desired.put(new Key(FindingKind.PROCESS_VDSO_MISMATCH, ""), evidence));
        }
        if (observed.clock() != null) {
            judged.add(FindingKind.VDSO_CLOCK_MISMATCH);
            agentEvidence.clockMismatch(observed.clock()).ifPresent(
                    evidence -> desired.put(new Key(FindingKind.VDSO_CLOCK_MISMATCH, ""), evidence));
        }
        reconcile(host, live, judged, desired);
        Seen seen = new Seen(seenNormalized, seenKernel);
        boolean seenNamed = named(buildVariant, kernelCohort, kernelVariant).filter(seen::equals).isPresent();
        jdbc.sql("""
                INSERT INTO host_detection (host_id, observed, image_analyzed, process_scan,
                    process_scan_digest, clock_check, clock_consistent,
                    seen_normalized, seen_boot_id, seen_kernel, build_membership, kernel_membership)
                VALUES (:id, host_observation(:image, :bootId, :kernelId), :analyzed,
                        CAST(:scan AS jsonb), :scanDigest,
                        CAST(:clock AS jsonb), :clockConsistent, :seenNormalized, :seenBootId, :seenKernel,
                        (SELECT id FROM cohort_variants WHERE cohort = :buildCohort AND variant = :buildVariant),
                        (SELECT id FROM cohort_variants WHERE cohort = :kernelCohort AND variant = :kernelVariant))
                ON CONFLICT (host_id) DO UPDATE SET observed = EXCLUDED.observed,
                    image_analyzed = EXCLUDED.image_analyzed,
                    process_scan = EXCLUDED.process_scan,
                    process_scan_digest = EXCLUDED.process_scan_digest, clock_check = EXCLUDED.clock_check,
                    clock_consistent = EXCLUDED.clock_consistent,
                    seen_normalized = EXCLUDED.seen_normalized, seen_boot_id = EXCLUDED.seen_boot_id,
                    seen_kernel = EXCLUDED.seen_kernel, build_membership = EXCLUDED.build_membership,
                    kernel_membership = EXCLUDED.kernel_membership, evaluated_at = now()
                """)
                .param("id", host.id())
                .param("image", host.image())
                .param("analyzed", host.status() != null)
                .param("bootId", host.bootId())
                .param("kernelId", host.kernelId())
                .param("scan", agentEvidence.toJson(observed.scan()))
                .param("scanDigest", observed.scanDigest())
                .param("clock", agentEvidence.toJson(observed.clock()))
                .param("clockConsistent", observed.clockConsistent())
                .param("seenNormalized", seenNamed ? null : seenNormalized)
                .param("seenBootId", seenBootId)
                .param("seenKernel", seenNamed ? null : seenKernel)
                .param("buildCohort", buildCohort)
                .param("buildVariant", buildVariant)
                .param("kernelCohort", kernelCohort)
                .param("kernelVariant", kernelVariant)
                .update();
        return changedCohorts;
    }

    private Optional<Map<String, @Nullable Object>> untrusted(Host host) {
        boolean blocked = "BLOCKED".equals(host.trust());
        if (!blocked && !(allowlist && !"TRUSTED".equals(host.trust()))) {
            return Optional.empty();
        }
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("normalizedSha256", host.normalized());
        evidence.put("imageSha256", host.image());
        evidence.put("trust", blocked ? "BLOCKED" : "NOT_TRUSTED");
        evidence.put("note", blocked ? host.trustNote() : "allowlist mode: no admin trusted this image");
        return Optional.of(evidence);
    }

    /** CHANGED_WITHOUT_REBOOT and KERNEL_DRIFT: compares the analysed observation with the previous one. */
    private void transitions(Host host, @Nullable String seenNormalized, @Nullable String seenBootId,
            @Nullable String seenKernel) {
        if (seenNormalized == null) {
            return;
        }
        boolean sameBoot = host.bootId() != null && host.bootId().equals(seenBootId);
        boolean imageChanged = !seenNormalized.equals(host.normalized());
        boolean kernelChanged = !host.kernel().equals(seenKernel);
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("fromNormalizedSha256", seenNormalized);
        evidence.put("toNormalizedSha256", host.normalized());
        evidence.put("fromKernel", seenKernel);
        evidence.put("toKernel", host.kernel());
        evidence.put("fromBootId", seenBootId);
        evidence.put("toBootId", host.bootId());
        String subject = Objects.toString(host.bootId(), "");
        if (sameBoot && imageChanged) {
            findings.open(host.id(), FindingKind.CHANGED_WITHOUT_REBOOT, subject, evidence);
        } else if (!sameBoot && (imageChanged || kernelChanged)) {
            String arch = Objects.requireNonNullElse(host.imageArch(), host.arch());
            if (findings.open(host.id(), FindingKind.KERNEL_DRIFT, subject, evidence).isPresent()) {
                AfterCommit.run(() -> metrics.drift(arch));
            }
        }
    }

    /** Moves the host's cohort counts from its recorded membership to the new one, in key order (no deadlocks). */
    private void move(@Nullable Snapshot before, @Nullable String buildCohort, @Nullable String buildVariant,
            @Nullable String kernelCohort, @Nullable String kernelVariant) {
        Map<List<String>, Integer> deltas = new TreeMap<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        if (before != null) {
            delta(deltas, before.buildCohort(), before.buildVariant(), -1);
            delta(deltas, before.kernelCohort(), before.kernelVariant(), -1);
        }
        delta(deltas, buildCohort, buildVariant, 1);
        delta(deltas, kernelCohort, kernelVariant, 1);
        deltas.forEach((key, delta) -> {
            if (delta != 0) {
                cohorts.count(key.get(0), key.get(1), delta);
            }
        });
    }

    private static void delta(Map<List<String>, Integer> deltas, @Nullable String cohort, @Nullable String variant,
            int delta) {
        if (cohort != null && variant != null) {
            deltas.merge(List.of(cohort, variant), delta, Integer::sum);
        }
    }

    private void peer(Host host, @Nullable String cohortKey, @Nullable String variant, List<FindingStore.Live> live,
            Map<Key, Map<String, @Nullable Object>> desired, List<Cohort> changedCohorts) {
        if (cohortKey == null || variant == null) {
            return;
        }
        Cohort cohort = Cohort.parse(cohortKey);
        Cohorts.Baseline baseline = cohorts.baseline(cohort);
        if (baseline.changed()) {
            changedCohorts.add(cohort);
        }
        if (baseline.accepts(variant)) {
            return;
        }
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("cohort", cohort.type() == Cohort.Type.BUILD ? "vDSO build-id" : "kernel identity");
        if (cohort.type() == Cohort.Type.BUILD) {
            evidence.put("buildId", cohort.buildId());
        } else {
            Cohort.KernelIdentity identity = cohort.identity(json);
            evidence.put("kernel", Map.of("release", identity.release(), "version", identity.version(),
                    "arch", identity.arch()));
        }
        evidence.put("variant", variant);
        evidence.put("imageSha256", host.image());
        evidence.put("baseline", baseline.accepted());
        evidence.put("baselineSource", baseline.source().name());
        evidence.put("hostsPerVariant", baseline.variants());
        evidence.put("peers", cohorts.peers(cohort, baseline.accepted()));
        Key key = new Key(FindingKind.PEER_MISMATCH, cohort.key());
        boolean alreadyOpen = live.stream().anyMatch(f -> new Key(f.kind(), f.subject()).equals(key));
        if (cohort.type() == Cohort.Type.BUILD && !alreadyOpen) {
            // same build, so same layout: say which bytes differ (computed only when the finding opens)
            cohorts.baselineImage(baseline.accepted()).flatMap(bytes -> imageBytes(host.image()).flatMap(
                    own -> ImageDiff.of(own, bytes))).ifPresent(diff -> evidence.put("diff", diff));
        }
        desired.put(key, evidence);
    }

    private Optional<byte[]> imageBytes(@Nullable String sha256) {
        return jdbc.sql("SELECT bytes FROM images WHERE sha256 = :sha256")
                .param("sha256", sha256)
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    private void reconcile(Host host, List<FindingStore.Live> lives, Set<FindingKind> judged,
            Map<Key, Map<String, @Nullable Object>> desired) {
        for (FindingStore.Live live : lives) {
            Key key = new Key(live.kind(), live.subject());
            if (judged.contains(live.kind()) && !desired.containsKey(key)) {
                findings.resolve(host.id(), live, live.kind() == FindingKind.HOST_SILENT ? "the host reported again"
                        : "the condition no longer holds");
            } else if (REFRESHED_KINDS.contains(live.kind()) && desired.containsKey(key)) {
                findings.refreshEvidence(live, desired.get(key));
            } else if (live.kind() == FindingKind.CHANGED_WITHOUT_REBOOT && host.bootId() != null
                    && !live.subject().equals(host.bootId())) {
                findings.resolve(host.id(), live, "the host rebooted");
            }
            desired.remove(key);
        }
        desired.forEach((key, evidence) -> findings.open(host.id(), key.kind(), key.subject(), evidence));
    }

    private Optional<Host> load(long hostId) {
        return jdbc.sql("""
                SELECT h.id, h.kernel_id, kr.release, coalesce(kr.version, '') AS version, kr.arch, h.boot_id,
                       encode(h.image_sha256, 'hex') AS image_sha256, i.status, i.normalized_sha256, i.build_id,
                       i.arch AS image_arch,
                       t.verdict AS trust, t.note AS trust_note, d.process_scan::text AS process_scan,
                       d.process_scan_digest, d.clock_check::text AS clock_check, d.clock_consistent,
                       d.host_id AS evaluated, d.seen_normalized, d.seen_boot_id, d.seen_kernel,
                       b.cohort AS build_cohort, b.variant AS build_variant, k.cohort AS kernel_cohort,
                       k.variant AS kernel_variant
                FROM hosts h
                JOIN kernels kr ON kr.id = h.kernel_id
                LEFT JOIN images i ON i.sha256 = encode(h.image_sha256, 'hex')
                LEFT JOIN image_trust t ON t.normalized_sha256 = i.normalized_sha256
                LEFT JOIN host_detection d ON d.host_id = h.id
                LEFT JOIN cohort_variants b ON b.id = d.build_membership
                LEFT JOIN cohort_variants k ON k.id = d.kernel_membership
                WHERE h.id = :id
                FOR UPDATE OF h
                """)
                .param("id", hostId)
                .query(this::host)
                .optional();
    }

    private Snapshot snapshot(ResultSet rs) throws SQLException {
        String buildVariant = rs.getString("build_variant");
        String kernelCohort = rs.getString("kernel_cohort");
        String kernelVariant = rs.getString("kernel_variant");
        String seenNormalized = rs.getString("seen_normalized");
        String seenKernel = rs.getString("seen_kernel");
        Optional<Seen> named = seenNormalized != null && seenKernel != null ? Optional.empty()
                : named(buildVariant, kernelCohort, kernelVariant);
        if (named.isPresent()) {
            seenNormalized = Objects.requireNonNullElse(seenNormalized, named.get().normalized());
            seenKernel = Objects.requireNonNullElse(seenKernel, named.get().kernel());
        }
        return new Snapshot(seenNormalized, rs.getString("seen_boot_id"), seenKernel, rs.getString("build_cohort"),
                buildVariant, kernelCohort, kernelVariant);
    }

    private Host host(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        Snapshot before = rs.getObject("evaluated") == null ? null : snapshot(rs);
        return new Host(rs.getLong("id"), rs.getInt("kernel_id"), rs.getString("release"), rs.getString("version"),
                rs.getString("arch"), rs.getString("boot_id"), rs.getString("image_sha256"),
                status == null ? null : ImageStatus.valueOf(status), rs.getString("normalized_sha256"),
                rs.getString("build_id"), rs.getString("image_arch"), rs.getString("trust"), rs.getString("trust_note"),
                agentEvidence.stored(rs.getString("process_scan"), rs.getString("process_scan_digest"),
                        rs.getString("clock_check"), rs.getObject("clock_consistent", Boolean.class)),
                before);
    }
}
