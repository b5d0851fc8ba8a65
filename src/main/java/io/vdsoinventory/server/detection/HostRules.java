package io.vdsoinventory.server.detection;

import io.vdsoinventory.server.detection.HostDetectionStore.Host;
import io.vdsoinventory.server.detection.HostDetectionStore.Recorded;
import io.vdsoinventory.server.fleet.FindingKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rules a host is judged by that concern the host rather than its image's bytes (those are
 * {@link ImageVerdicts}', the agent's own evidence is {@link AgentEvidence}'s). Each rule tells whether its
 * condition holds and with what evidence; it opens and resolves nothing, {@link HostEvaluator} does.
 */
@Component
class HostRules {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Cohorts cohorts;
    private final boolean allowlist;

    HostRules(JdbcClient jdbc, JsonMapper json, Cohorts cohorts, DetectionProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.cohorts = cohorts;
        this.allowlist = properties.allowlist();
    }

    /** NO_VDSO: the host reported no vDSO at all. */
    Map<String, @Nullable Object> noVdso(Host host) {
        return Map.of("kernelRelease", host.release());
    }

    /**
     * BLOCKED_IMAGE (an admin blocked the host's image) or, in allowlist mode, UNTRUSTED_IMAGE (no admin trusted
     * it). A block is a finding of its own, never a reason to resolve one about the bytes: those are judged by
     * their cohorts ({@link #peerMismatch}).
     */
    Optional<Raised> trust(Host host) {
        boolean blocked = "BLOCKED".equals(host.trust());
        if (!blocked && !(allowlist && !"TRUSTED".equals(host.trust()))) {
            return Optional.empty();
        }
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("normalizedSha256", host.normalized());
        evidence.put("imageSha256", host.image());
        evidence.put("trust", blocked ? "BLOCKED" : "NOT_TRUSTED");
        evidence.put("note", blocked ? host.trustNote() : "allowlist mode: no admin trusted this image");
        if (blocked) {
            evidence.put("decidedBy", host.trustDecidedBy());
        }
        return Optional.of(new Raised(blocked ? FindingKind.BLOCKED_IMAGE : FindingKind.UNTRUSTED_IMAGE,
                Objects.requireNonNull(host.normalized()), evidence));
    }

    /** A finding a rule raises: its kind, what it is about ({@code subject}) and its evidence. */
    record Raised(FindingKind kind, String subject, Map<String, @Nullable Object> evidence) {
    }

    /**
     * CHANGED_WITHOUT_REBOOT (the analysed image changed under one boot id) or KERNEL_DRIFT (the host came back
     * from a reboot with another kernel or image), comparing the host with the observation detection recorded.
     */
    Optional<Raised> transition(Host host, @Nullable Recorded before) {
        if (before == null || before.seenNormalized() == null) {
            return Optional.empty();
        }
        boolean sameBoot = host.bootId() != null && host.bootId().equals(before.seenBootId());
        boolean imageChanged = !before.seenNormalized().equals(host.normalized());
        boolean kernelChanged = !host.kernel().equals(before.seenKernel());
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("fromNormalizedSha256", before.seenNormalized());
        evidence.put("toNormalizedSha256", host.normalized());
        evidence.put("fromKernel", before.seenKernel());
        evidence.put("toKernel", host.kernel());
        evidence.put("fromBootId", before.seenBootId());
        evidence.put("toBootId", host.bootId());
        String subject = Objects.toString(host.bootId(), "");
        if (sameBoot && imageChanged) {
            return Optional.of(new Raised(FindingKind.CHANGED_WITHOUT_REBOOT, subject, evidence));
        }
        if (!sameBoot && (imageChanged || kernelChanged)) {
            return Optional.of(new Raised(FindingKind.KERNEL_DRIFT, subject, evidence));
        }
        return Optional.empty();
    }

    /**
     * PEER_MISMATCH: the host's variant is not the baseline of its cohort. The evidence names the baseline, the
     * hosts per variant and a few peers; for a build cohort, when the finding is new, which bytes differ.
     */
    Optional<Map<String, @Nullable Object>> peerMismatch(Host host, Membership membership, Cohorts.Baseline baseline,
            boolean alreadyOpen) {
        if (baseline.accepts(membership.variant())) {
            return Optional.empty();
        }
        Cohort cohort = membership.cohort();
        Map<String, @Nullable Object> evidence = new LinkedHashMap<>();
        evidence.put("cohort", cohort.type() == Cohort.Type.BUILD ? "vDSO build-id" : "kernel identity");
        if (cohort.type() == Cohort.Type.BUILD) {
            evidence.put("buildId", cohort.buildId());
        } else {
            Cohort.KernelIdentity identity = cohort.identity(json);
            evidence.put("kernel", Map.of("release", identity.release(), "version", identity.version(),
                    "arch", identity.arch()));
        }
        evidence.put("variant", membership.variant());
        evidence.put("imageSha256", host.image());
        evidence.put("baseline", baseline.accepted());
        evidence.put("baselineSource", baseline.source().name());
        evidence.put("hostsPerVariant", baseline.variants());
        evidence.put("peers", cohorts.peers(cohort, baseline.accepted()));
        if (cohort.type() == Cohort.Type.BUILD && !alreadyOpen) {
            // same build, so same layout: say which bytes differ (computed only when the finding opens)
            cohorts.baselineImage(baseline.accepted()).flatMap(bytes -> imageBytes(host.image()).flatMap(
                    own -> ImageDiff.of(own, bytes))).ifPresent(diff -> evidence.put("diff", diff));
        }
        return Optional.of(evidence);
    }

    private Optional<byte[]> imageBytes(@Nullable String sha256) {
        return jdbc.sql("SELECT bytes FROM images WHERE sha256 = :sha256")
                .param("sha256", sha256)
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }
}
