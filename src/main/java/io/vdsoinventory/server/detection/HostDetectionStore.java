package io.vdsoinventory.server.detection;

import io.vdsoinventory.server.fleet.ImageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Detection's record of each host ({@code host_detection}): the host as the rules see it, read in one locked
 * statement with its kernel, image, trust decision and what detection recorded last, and the one upsert of what
 * an evaluation decided.
 */
@Repository
class HostDetectionStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AgentEvidence agentEvidence;

    HostDetectionStore(JdbcClient jdbc, JsonMapper json, AgentEvidence agentEvidence) {
        this.jdbc = jdbc;
        this.json = json;
        this.agentEvidence = agentEvidence;
    }

    /**
     * What detection records of a host: the last analysed observation's normalized image, boot and kernel (the
     * {@code seen_*} columns) and the host's memberships in its build and kernel cohorts.
     */
    record Recorded(@Nullable String seenNormalized, @Nullable String seenBootId, @Nullable String seenKernel,
            @Nullable Membership build, @Nullable Membership kernel) {

        static final Recorded NONE = new Recorded(null, null, null, null, null);
    }

    /** The host as the rules see it; {@code before} is null when detection never evaluated it. */
    record Host(long id, int kernelId, String release, String version, String arch, @Nullable String bootId,
            @Nullable String image, @Nullable ImageStatus status, @Nullable String normalized, @Nullable String buildId,
            @Nullable String imageArch, @Nullable String trust, @Nullable String trustNote, @Nullable String trustDecidedBy,
            AgentEvidence.Observed stored, @Nullable Recorded before) {

        Cohort.KernelIdentity kernelIdentity() {
            return new Cohort.KernelIdentity(release, version, arch);
        }

        String kernel() {
            return kernelIdentity().text();
        }
    }

    /** A normalized image and kernel as the {@code seen_*} columns hold them. */
    private record Seen(@Nullable String normalized, @Nullable String kernel) {
    }

    /**
     * What the memberships of a host in a kernel cohort say it was seen running: the kernel is the cohort's
     * identity, the normalized image its variant's (both set by the same analysed observation, and kept together).
     * {@code host_detection} stores {@code seen_normalized} and {@code seen_kernel} as NULL when they are these.
     */
    private Optional<Seen> named(@Nullable Membership build, @Nullable Membership kernel) {
        if (kernel == null) {
            return Optional.empty();
        }
        return Optional.of(new Seen(Cohort.normalizedOf(build == null ? null : build.variant(), kernel.variant()),
                kernel.cohort().identity(json).text()));
    }

    /**
     * Whether a report's process scan or clock check differs from what detection stored of the host (by scan
     * digest and clock verdict). Ingest already told whether the rest of the host's state did
     * ({@link NeedsEvaluation}), so a report without scan or clock check costs no statement here, and one with
     * them a single primary-key read.
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

    /** The host, its row locked until commit (as ingest locks it); empty when it does not exist. */
    Optional<Host> lock(long hostId) {
        return jdbc.sql("""
                SELECT h.id, h.kernel_id, kr.release, coalesce(kr.version, '') AS version, kr.arch, h.boot_id,
                       encode(h.image_sha256, 'hex') AS image_sha256, i.status, i.normalized_sha256, i.build_id,
                       i.arch AS image_arch,
                       t.verdict AS trust, t.note AS trust_note, t.decided_by AS trust_decided_by, d.process_scan::text AS process_scan,
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

    /** Records what evaluating {@code host} decided: the evidence judged, the observation seen, the memberships. */
    void save(Host host, AgentEvidence.Observed observed, Recorded recorded) {
        Seen seen = new Seen(recorded.seenNormalized(), recorded.seenKernel());
        boolean seenNamed = named(recorded.build(), recorded.kernel()).filter(seen::equals).isPresent();
        Membership build = recorded.build();
        Membership kernel = recorded.kernel();
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
                .param("seenNormalized", seenNamed ? null : recorded.seenNormalized())
                .param("seenBootId", recorded.seenBootId())
                .param("seenKernel", seenNamed ? null : recorded.seenKernel())
                .param("buildCohort", build == null ? null : build.cohort().key())
                .param("buildVariant", build == null ? null : build.variant())
                .param("kernelCohort", kernel == null ? null : kernel.cohort().key())
                .param("kernelVariant", kernel == null ? null : kernel.variant())
                .update();
    }

    private Recorded recorded(ResultSet rs) throws SQLException {
        Membership build = Membership.of(rs.getString("build_cohort"), rs.getString("build_variant"));
        Membership kernel = Membership.of(rs.getString("kernel_cohort"), rs.getString("kernel_variant"));
        String seenNormalized = rs.getString("seen_normalized");
        String seenKernel = rs.getString("seen_kernel");
        Optional<Seen> named = seenNormalized != null && seenKernel != null ? Optional.empty() : named(build, kernel);
        if (named.isPresent()) {
            seenNormalized = Objects.requireNonNullElse(seenNormalized, named.get().normalized());
            seenKernel = Objects.requireNonNullElse(seenKernel, named.get().kernel());
        }
        return new Recorded(seenNormalized, rs.getString("seen_boot_id"), seenKernel, build, kernel);
    }

    private Host host(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        Recorded before = rs.getObject("evaluated") == null ? null : recorded(rs);
        return new Host(rs.getLong("id"), rs.getInt("kernel_id"), rs.getString("release"), rs.getString("version"),
                rs.getString("arch"), rs.getString("boot_id"), rs.getString("image_sha256"),
                status == null ? null : ImageStatus.valueOf(status), rs.getString("normalized_sha256"),
                rs.getString("build_id"), rs.getString("image_arch"), rs.getString("trust"), rs.getString("trust_note"),
                rs.getString("trust_decided_by"),
                agentEvidence.stored(rs.getString("process_scan"), rs.getString("process_scan_digest"),
                        rs.getString("clock_check"), rs.getObject("clock_consistent", Boolean.class)),
                before);
    }
}
