package io.vdsoinventory.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a per-process scan found: how many processes' vDSO mappings were compared with the kernel's, how many
 * differed, and (bounded) which ones.
 *
 * @param processesScanned processes whose vDSO was read
 * @param mismatches processes whose vDSO bytes differ from the kernel's image of the same ABI
 * @param unreadable processes whose vDSO could not be read (no privilege), when the agent says
 * @param processes the first {@value #MAX_LISTED} mismatching processes, when the agent lists them
 * @param noVdso processes without a {@code [vdso]} mapping (kernel threads, vdso=0), when the agent says
 * @param exited processes that exited during the scan, when the agent says
 * @param truncated whether more processes mismatch than {@code processes} lists
 * @param skipped processes not compared for another reason than privilege (oversized mapping, maps that do not
 *        parse), when the agent says (agents before it counted them as unreadable)
 * @param privileged whether the scan ran with CAP_SYS_PTRACE (root has it), when the agent says
 */
public record ProcessScanSummary(
        @PositiveOrZero int processesScanned,
        @PositiveOrZero int mismatches,
        @PositiveOrZero @Nullable Integer unreadable,
        @Size(max = MAX_LISTED) @Valid @Nullable List<@NotNull ProcessMismatch> processes,
        @PositiveOrZero @Nullable Integer noVdso,
        @PositiveOrZero @Nullable Integer exited,
        @Nullable Boolean truncated,
        @PositiveOrZero @Nullable Integer skipped,
        @Nullable Boolean privileged) {

    /** How many mismatching processes a report lists at most (the count stays exact). */
    public static final int MAX_LISTED = 32;

    /** A summary without the per-process list. */
    public ProcessScanSummary(int processesScanned, int mismatches) {
        this(processesScanned, mismatches, null, null, null, null, null, null, null);
    }

    /**
     * Whether the scan compared every process that has a vDSO (none unreadable, none skipped); null when the agent
     * did not say how many it could not read (an agent before the unreadable count).
     */
    public @Nullable Boolean complete() {
        if (unreadable == null) {
            return null;
        }
        return unreadable == 0 && (skipped == null || skipped == 0);
    }
}
