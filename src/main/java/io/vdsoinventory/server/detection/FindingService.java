package io.vdsoinventory.server.detection;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.vdso.VdsoImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * What people do with findings: list them, suppress one (audited), decide whether an image is trusted or blocked,
 * import a reference image for a kernel identity. Trust decisions re-evaluate the cohorts and hosts they concern.
 */
@Service
public class FindingService {

    private final FindingQueries queries;
    private final FindingStore store;
    private final Cohorts cohorts;
    private final DetectionService detection;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final int batch;

    FindingService(FindingQueries queries, FindingStore store, Cohorts cohorts, DetectionService detection,
            JdbcClient jdbc, JsonMapper json, TransactionTemplate transaction, DetectionProperties properties) {
        this.queries = queries;
        this.store = store;
        this.cohorts = cohorts;
        this.detection = detection;
        this.jdbc = jdbc;
        this.json = json;
        this.transaction = transaction;
        this.batch = properties.cohortBatch();
    }

    List<FindingView> findings(FindingFilter filter, long afterId, int limit) {
        return queries.page(filter, afterId, limit);
    }

    /** Suppresses an open finding: 404 when there is none, 409 when it is not open. */
    FindingView suppress(long findingId, String by, String reason) {
        FindingView finding = queries.find(findingId)
                .orElseThrow(() -> ApiException.of(ProblemKind.NOT_FOUND, "No finding " + findingId));
        boolean suppressed = Objects.requireNonNull(transaction.execute(status ->
                store.suppress(findingId, by, reason).isPresent()));
        if (!suppressed) {
            throw ApiException.of(ProblemKind.CONFLICT, "Finding " + findingId + " is " + finding.status()
                    + ", only an open finding can be suppressed");
        }
        return queries.find(findingId).orElseThrow();
    }

    /** Whether an image is trusted or blocked. */
    public enum Verdict { TRUSTED, BLOCKED }

    /** A stored trust decision (openapi.yaml {@code TrustDecision}). */
    public record Decision(String normalizedSha256, @Nullable String buildId, Verdict verdict, String note,
            String decidedBy, Instant decidedAt) {
    }

    /**
     * Trusts or blocks the normalized image of {@code sha256} (an image's sha256 or normalizedSha256, as stored or
     * imported as a reference), then re-evaluates its cohorts and the hosts running it.
     */
    Decision trust(String sha256, Verdict verdict, String note, String by) {
        record Image(String normalized, @Nullable String buildId) {
        }
        Image image = jdbc.sql("""
                SELECT normalized_sha256, build_id FROM images
                WHERE (sha256 = :sha256 OR normalized_sha256 = :sha256) AND status = 'ANALYZED'
                UNION ALL
                SELECT normalized_sha256, build_id FROM reference_images WHERE sha256 = :sha256 OR normalized_sha256 = :sha256
                LIMIT 1
                """)
                .param("sha256", sha256)
                .query((rs, row) -> new Image(rs.getString(1), rs.getString(2)))
                .optional()
                .orElseThrow(() -> ApiException.of(ProblemKind.NOT_FOUND, "No analysed image " + sha256));
        Decision decision = Objects.requireNonNull(transaction.execute(status ->
                decide(image.normalized(), image.buildId(), verdict, note, by)));
        reevaluate(image.normalized(), image.buildId(), List.of());
        return decision;
    }

    /** A reference image as imported (openapi.yaml {@code ReferenceImage}). */
    public record Reference(String sha256, String normalizedSha256, @Nullable String buildId, String imageArch,
            String kernelRelease, String kernelVersion, String arch, Decision trust) {
    }

    /**
     * Imports a {@code vdso*.so} (from a kernel build directory or package) as the trusted image of a kernel
     * identity: parsed here, trusted by normalizedSha256 (its live, CPU-patched mappings share it).
     */
    Reference importReference(String kernelRelease, String kernelVersion, String arch, byte[] bytes, String by) {
        VdsoImage image;
        try {
            image = VdsoImage.analyze(bytes);
        } catch (ElfFormatException e) {
            throw ApiException.of(ProblemKind.UNPROCESSABLE_IMAGE, "The reference is not a readable ELF image: "
                    + e.getMessage());
        }
        String buildId = image.buildId().orElse(null);
        String note = "reference for " + kernelRelease + " " + kernelVersion + " " + arch;
        Decision decision = Objects.requireNonNull(transaction.execute(status -> {
            jdbc.sql("""
                    INSERT INTO reference_images (kernel_release, kernel_version, arch, sha256, normalized_sha256,
                                                  build_id, image_arch, bytes, imported_by)
                    VALUES (:release, :version, :arch, :sha256, :normalized, :buildId, :imageArch, :bytes, :by)
                    ON CONFLICT (kernel_release, kernel_version, arch, normalized_sha256) DO UPDATE
                        SET imported_by = EXCLUDED.imported_by, imported_at = now()
                    """)
                    .param("release", kernelRelease)
                    .param("version", kernelVersion)
                    .param("arch", arch)
                    .param("sha256", Sha256.of(bytes))
                    .param("normalized", image.normalizedSha256())
                    .param("buildId", buildId)
                    .param("imageArch", image.arch())
                    .param("bytes", bytes)
                    .param("by", by)
                    .update();
            return decide(image.normalizedSha256(), buildId, Verdict.TRUSTED, note, by);
        }));
        Cohort kernel = Cohort.kernel(json, new Cohort.KernelIdentity(kernelRelease, kernelVersion, arch));
        reevaluate(image.normalizedSha256(), buildId, List.of(kernel));
        return new Reference(Sha256.of(bytes), image.normalizedSha256(), buildId, image.arch(), kernelRelease,
                kernelVersion, arch, decision);
    }

    private Decision decide(String normalized, @Nullable String buildId, Verdict verdict, String note, String by) {
        return jdbc.sql("""
                INSERT INTO image_trust (normalized_sha256, verdict, build_id, note, decided_by)
                VALUES (:normalized, :verdict, :buildId, :note, :by)
                ON CONFLICT (normalized_sha256) DO UPDATE SET verdict = EXCLUDED.verdict, build_id = EXCLUDED.build_id,
                    note = EXCLUDED.note, decided_by = EXCLUDED.decided_by, decided_at = now()
                RETURNING normalized_sha256, build_id, verdict, note, decided_by, decided_at
                """)
                .param("normalized", normalized)
                .param("verdict", verdict.name())
                .param("buildId", buildId)
                .param("note", note)
                .param("by", by)
                .query((rs, row) -> new Decision(rs.getString(1), rs.getString(2), Verdict.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()))
                .single();
    }

    /** Re-evaluates the cohorts a decision concerns and every host running the image (its UNTRUSTED_IMAGE verdict). */
    private void reevaluate(String normalized, @Nullable String buildId, List<Cohort> extra) {
        List<Cohort> concerned = new ArrayList<>(cohorts.concerning(normalized, buildId));
        extra.stream().filter(c -> !concerned.contains(c)).forEach(concerned::add);
        detection.reevaluate(concerned);
        long after = 0;
        List<Long> hosts;
        do {
            hosts = jdbc.sql("""
                    SELECT h.id FROM images i JOIN hosts h ON h.image_sha256 = decode(i.sha256, 'hex')
                    WHERE i.normalized_sha256 = :normalized AND h.id > :after ORDER BY h.id LIMIT :limit
                    """)
                    .param("normalized", normalized)
                    .param("after", after)
                    .param("limit", batch)
                    .query(Long.class)
                    .list();
            detection.reevaluate(detection.evaluate(hosts));
            after = hosts.isEmpty() ? after : hosts.get(hosts.size() - 1);
        } while (hosts.size() == batch);
    }
}
