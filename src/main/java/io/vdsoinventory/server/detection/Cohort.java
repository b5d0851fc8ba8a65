package io.vdsoinventory.server.detection;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A group of hosts that should run the same vDSO code, and the variant a host contributes to it.
 * <ul>
 * <li>{@link Type#BUILD}: hosts whose vDSO has one build-id; the variant is the normalizedSha256 (same build,
 * different code is a mismatch; CPU patching does not change it).</li>
 * <li>{@link Type#KERNEL}: hosts that claim one kernel identity (release, version, arch); the variant is the vDSO
 * build-id, or {@code sha:<normalizedSha256>} for an image without one (a custom kernel wearing a stock name).</li>
 * </ul>
 *
 * @param key the stored cohort key: {@code build:<id>} or {@code kernel:["release","version","arch"]}
 */
record Cohort(Type type, String key) {

    private static final TypeReference<List<String>> IDENTITY = new TypeReference<>() {
    };

    /**
     * The two kinds of cohort, with the {@code host_detection} column of a host's membership (the id of its
     * {@code cohort_variants} row).
     */
    enum Type {
        BUILD("build_membership"),
        KERNEL("kernel_membership");

        final String membershipColumn;

        Type(String membershipColumn) {
            this.membershipColumn = membershipColumn;
        }
    }

    static Cohort build(String buildId) {
        return new Cohort(Type.BUILD, "build:" + buildId);
    }

    static Cohort kernel(JsonMapper json, KernelIdentity identity) {
        return new Cohort(Type.KERNEL, "kernel:" + json.writeValueAsString(
                List.of(identity.release(), identity.version(), identity.arch())));
    }

    static Cohort parse(String key) {
        return new Cohort(key.startsWith("build:") ? Type.BUILD : Type.KERNEL, key);
    }

    /** The build-id of a BUILD cohort. */
    String buildId() {
        return key.substring("build:".length());
    }

    /** The identity of a KERNEL cohort. */
    KernelIdentity identity(JsonMapper json) {
        List<String> parts = json.readValue(key.substring("kernel:".length()), IDENTITY);
        return new KernelIdentity(parts.get(0), parts.get(1), parts.get(2));
    }

    /** The variant an image contributes to a KERNEL cohort. */
    static String kernelVariant(@Nullable String buildId, String normalizedSha256) {
        return buildId != null ? buildId : "sha:" + normalizedSha256;
    }

    /**
     * The normalizedSha256 of the image that put a host in a kernel cohort as {@code kernelVariant} and, when the
     * image has a build-id, in that build cohort as {@code buildVariant} (null otherwise).
     */
    static String normalizedOf(@Nullable String buildVariant, String kernelVariant) {
        return buildVariant != null ? buildVariant : kernelVariant.substring("sha:".length());
    }

    /** What a host claims its kernel is: {@code uname -r}, {@code uname -v} ("" when unknown), {@code uname -m}. */
    record KernelIdentity(String release, String version, String arch) {

        /** The identity as one text, one line per part: what detection compares and shows as a kernel. */
        String text() {
            return String.join("\n", release, version, arch);
        }
    }
}
