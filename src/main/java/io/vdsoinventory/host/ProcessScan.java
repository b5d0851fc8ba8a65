package io.vdsoinventory.host;

import java.util.List;

/**
 * The outcome of one scan: one entry per process seen in /proc.
 *
 * @param processes every process, in pid order
 */
public record ProcessScan(List<ProcessVdso> processes) {

    public ProcessScan {
        processes = List.copyOf(processes);
    }

    /** Processes whose vDSO was read and compared. */
    public int compared() {
        return count(ProcessVdso.Status.MATCH) + count(ProcessVdso.Status.MISMATCH);
    }

    public List<ProcessVdso> mismatches() {
        return processes.stream().filter(p -> p.status() == ProcessVdso.Status.MISMATCH).toList();
    }

    public int count(ProcessVdso.Status status) {
        return (int) processes.stream().filter(p -> p.status() == status).count();
    }
}
