package io.vdsoinventory.host;

import java.util.List;

/**
 * The outcome of one scan: one entry per process seen in /proc.
 *
 * @param processes every process, in pid order
 * @param privileged whether the scan ran with CAP_SYS_PTRACE in its effective set (root has it), which reading
 *        other users' processes needs
 */
public record ProcessScan(List<ProcessVdso> processes, boolean privileged) {

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

    /** Whether every process with a vDSO was compared: none unreadable, none skipped. */
    public boolean complete() {
        return count(ProcessVdso.Status.UNREADABLE) == 0 && count(ProcessVdso.Status.SKIPPED) == 0;
    }

    public int count(ProcessVdso.Status status) {
        return (int) processes.stream().filter(p -> p.status() == status).count();
    }
}
