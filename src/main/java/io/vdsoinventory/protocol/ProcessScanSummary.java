package io.vdsoinventory.protocol;

import jakarta.validation.constraints.PositiveOrZero;

/**
 * What a per-process scan found: how many processes' vDSO mappings were compared with the kernel's, and how
 * many differed.
 *
 * @param processesScanned processes whose vDSO was read
 * @param mismatches processes whose vDSO bytes differ from the kernel's image of the same ABI
 */
public record ProcessScanSummary(@PositiveOrZero int processesScanned, @PositiveOrZero int mismatches) {
}
