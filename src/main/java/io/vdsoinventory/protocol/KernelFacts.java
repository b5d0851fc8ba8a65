package io.vdsoinventory.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Who the host's running kernel says it is.
 *
 * @param release {@code uname -r}
 * @param version {@code uname -v}
 * @param arch the short architecture name of the kernel ({@code uname -m})
 * @param buildId the kernel's GNU build-id from /sys/kernel/notes, lowercase hex, when readable
 * @param bootId /proc/sys/kernel/random/boot_id: changes at every boot
 */
public record KernelFacts(
        @NotBlank @Size(max = 256) String release,
        @Size(max = 512) @Nullable String version,
        @NotBlank @Size(max = 32) String arch,
        @Pattern(regexp = "[0-9a-f]{2,128}") @Nullable String buildId,
        @Size(max = 64) @Nullable String bootId) {
}
