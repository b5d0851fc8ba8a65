package io.vdsoinventory.protocol;

import jakarta.validation.Valid;
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
 */
public record ProcessScanSummary(
        @PositiveOrZero int processesScanned,
        @PositiveOrZero int mismatches,
        @PositiveOrZero @Nullable Integer unreadable,
        @Size(max = MAX_LISTED) @Valid @Nullable List<ProcessMismatch> processes) {

    /** How many mismatching processes a report lists at most (the count stays exact). */
    public static final int MAX_LISTED = 32;

    /** A summary without the per-process list (what the service stores per host). */
    public ProcessScanSummary(int processesScanned, int mismatches) {
        this(processesScanned, mismatches, null, null);
    }
}
