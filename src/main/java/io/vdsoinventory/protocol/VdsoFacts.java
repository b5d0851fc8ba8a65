package io.vdsoinventory.protocol;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

/**
 * The identities of the vDSO image an agent captured, as the agent computed them. The service treats them as
 * claims: it derives the truth from the bytes when they are uploaded. {@code vdso.ImageFacts} computes them.
 *
 * @param sha256 SHA-256 of the captured bytes, lowercase hex: the content address
 * @param normalizedSha256 SHA-256 of the ELF extent with CPU-alternatives patch sites masked
 * @param buildId the vDSO's NT_GNU_BUILD_ID, lowercase hex, when present
 * @param size the number of captured bytes
 */
public record VdsoFacts(
        @NotNull @Pattern(regexp = Sha256.PATTERN) String sha256,
        @Pattern(regexp = Sha256.PATTERN) @Nullable String normalizedSha256,
        @Pattern(regexp = "[0-9a-f]{2,128}") @Nullable String buildId,
        @PositiveOrZero @Max(1 << 30) int size) {
}
