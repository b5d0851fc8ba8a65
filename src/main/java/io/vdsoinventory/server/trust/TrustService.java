package io.vdsoinventory.server.trust;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.protocol.Sha256;
import io.vdsoinventory.server.HostTimeline;
import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import io.vdsoinventory.server.detection.DetectionService;
import io.vdsoinventory.server.fleet.HostEventKind;
import io.vdsoinventory.vdso.VdsoImage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admin decisions about images: trust or block one, import a reference image for a kernel identity. A decision
 * re-evaluates the cohorts and hosts it concerns.
 */
@Service
class TrustService {

    private final DetectionService detection;
    private final HostTimeline timeline;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    TrustService(DetectionService detection, HostTimeline timeline, JdbcClient jdbc, TransactionTemplate transaction) {
        this.detection = detection;
        this.timeline = timeline;
        this.jdbc = jdbc;
        this.transaction = transaction;
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
        detection.reevaluateImage(image.normalized(), image.buildId());
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
        detection.reevaluateReference(image.normalizedSha256(), buildId, kernelRelease, kernelVersion, arch);
        return new Reference(Sha256.of(bytes), image.normalizedSha256(), buildId, image.arch(), kernelRelease,
                kernelVersion, arch, decision);
    }

    /** Stores the decision and records it on the timeline of every host running the image. */
    private Decision decide(String normalized, @Nullable String buildId, Verdict verdict, String note, String by) {
        Decision decision = jdbc.sql("""
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
        Map<String, @Nullable Object> detail = new LinkedHashMap<>();
        detail.put("verdict", verdict.name());
        detail.put("normalizedSha256", normalized);
        detail.put("buildId", buildId);
        detail.put("note", note);
        detail.put("by", by);
        timeline.appendForImage(normalized, HostEventKind.IMAGE_TRUST_DECIDED, detail);
        return decision;
    }
}
