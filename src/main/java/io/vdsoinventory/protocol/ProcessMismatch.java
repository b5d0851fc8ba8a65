package io.vdsoinventory.protocol;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One process whose {@code [vdso]} mapping differs from the kernel's image of its ABI.
 *
 * @param pid the process id (in the agent's pid namespace)
 * @param command {@code /proc/<pid>/comm}
 * @param executable the target of {@code /proc/<pid>/exe}, when readable
 * @param container the process's cgroup ({@code /proc/<pid>/cgroup}, first line), when readable
 * @param symbols the exported symbols whose byte ranges differ; {@code <outside symbols>} for other bytes
 */
public record ProcessMismatch(
        @Positive int pid,
        @NotNull @Size(max = 64) String command,
        @Size(max = 4096) @Nullable String executable,
        @Size(max = 4096) @Nullable String container,
        @NotNull @Size(max = 64) List<@NotNull @Size(max = 256) String> symbols) {
}
