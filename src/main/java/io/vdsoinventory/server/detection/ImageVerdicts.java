package io.vdsoinventory.server.detection;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.server.fleet.FindingKind;
import io.vdsoinventory.server.fleet.ImageStatus;
import io.vdsoinventory.vdso.Anomaly;
import io.vdsoinventory.vdso.AnomalyKind;
import io.vdsoinventory.vdso.VdsoImage;
import io.vdsoinventory.vdso.abi.AbiCatalog;
import io.vdsoinventory.vdso.abi.AbiDeviation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an image says about itself, whoever runs it: catalog deviations (UNKNOWN_SYMBOL, UNEXPECTED_VERSION) and
 * structural anomalies (STRUCTURAL_ANOMALY, one per anomaly kind; an unreadable image is one too). Computed once
 * per distinct image from its stored bytes and cached in {@code image_verdicts}.
 */
@Repository
class ImageVerdicts {

    private static final TypeReference<List<ImageFinding>> FINDINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AbiCatalog catalog;

    ImageVerdicts(JdbcClient jdbc, JsonMapper json, AbiCatalog catalog) {
        this.jdbc = jdbc;
        this.json = json;
        this.catalog = catalog;
    }

    /** A finding every host running the image gets. */
    record ImageFinding(FindingKind kind, String subject, Map<String, @Nullable Object> evidence) {
    }

    /** The verdict of a stored image, computed and cached at the first call; empty when the image is not stored. */
    Optional<List<ImageFinding>> of(String sha256) {
        Optional<String> cached = jdbc.sql("SELECT findings::text FROM image_verdicts WHERE image_sha256 = :sha256")
                .param("sha256", sha256)
                .query(String.class)
                .optional();
        if (cached.isPresent()) {
            return Optional.of(json.readValue(cached.get(), FINDINGS));
        }
        record Stored(ImageStatus status, byte[] bytes, @Nullable String parseError) {
        }
        Optional<Stored> stored = jdbc.sql("SELECT status, bytes, parse_error FROM images WHERE sha256 = :sha256")
                .param("sha256", sha256)
                .query((rs, row) -> new Stored(ImageStatus.valueOf(rs.getString("status")), rs.getBytes("bytes"),
                        rs.getString("parse_error")))
                .optional();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        List<ImageFinding> findings = stored.get().status() == ImageStatus.MALFORMED
                ? List.of(malformed(sha256, stored.get().parseError()))
                : judge(sha256, stored.get().bytes());
        jdbc.sql("""
                INSERT INTO image_verdicts (image_sha256, findings) VALUES (:sha256, CAST(:findings AS jsonb))
                ON CONFLICT (image_sha256) DO NOTHING
                """)
                .param("sha256", sha256)
                .param("findings", json.writeValueAsString(findings))
                .update();
        return Optional.of(findings);
    }

    private List<ImageFinding> judge(String sha256, byte[] bytes) {
        VdsoImage image;
        try {
            image = VdsoImage.analyze(bytes);
        } catch (ElfFormatException e) {
            return List.of(malformed(sha256, e.getMessage()));
        }
        List<ImageFinding> findings = new ArrayList<>();
        for (AbiDeviation deviation : catalog.check(image.arch(), image.versions(), image.symbols())) {
            FindingKind kind = switch (deviation.kind()) {
                case UNKNOWN_SYMBOL -> FindingKind.UNKNOWN_SYMBOL;
                case UNEXPECTED_VERSION -> FindingKind.UNEXPECTED_VERSION;
                // an arch the catalog does not know cannot be judged: no finding, nothing to alarm on;
                // MISSING_SYMBOL needs the image's kernel release, which this per-image check does not take
                case UNCATALOGUED_ARCH, MISSING_SYMBOL -> null;
            };
            if (kind != null) {
                Map<String, @Nullable Object> evidence = evidence(sha256, image.arch());
                evidence.put(kind == FindingKind.UNKNOWN_SYMBOL ? "symbol" : "version", deviation.subject());
                evidence.put("detail", deviation.detail());
                findings.add(new ImageFinding(kind, deviation.subject(), evidence));
            }
        }
        Map<AnomalyKind, List<String>> anomalies = new EnumMap<>(AnomalyKind.class);
        for (Anomaly anomaly : image.anomalies()) {
            anomalies.computeIfAbsent(anomaly.kind(), k -> new ArrayList<>()).add(anomaly.detail());
        }
        anomalies.forEach((kind, details) -> {
            Map<String, @Nullable Object> evidence = evidence(sha256, image.arch());
            evidence.put("anomaly", kind.name());
            evidence.put("details", details);
            findings.add(new ImageFinding(FindingKind.STRUCTURAL_ANOMALY, kind.name(), evidence));
        });
        return findings;
    }

    private static ImageFinding malformed(String sha256, @Nullable String parseError) {
        Map<String, @Nullable Object> evidence = evidence(sha256, null);
        evidence.put("anomaly", "MALFORMED");
        evidence.put("details", List.of(String.valueOf(parseError)));
        return new ImageFinding(FindingKind.STRUCTURAL_ANOMALY, "MALFORMED", evidence);
    }

    private static Map<String, @Nullable Object> evidence(String sha256, @Nullable String arch) {
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("imageSha256", sha256);
        evidence.put("arch", arch);
        return evidence;
    }
}
