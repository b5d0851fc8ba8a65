package io.vdsoinventory.host;

import java.util.List;

/**
 * What the scan saw of one process.
 *
 * @param pid the process id
 * @param command /proc/pid/comm, empty when it exited first
 * @param executable the /proc/pid/exe target, null when unreadable (kernel thread, no privilege, exited)
 * @param container the first line of /proc/pid/cgroup, null when unreadable
 * @param status what the comparison found
 * @param moved whether the {@code [vdso]} mapping is not where the auxiliary vector says the kernel put it
 *        (mremap, as CRIU does, or an injector's replacement); known only when /proc/pid/auxv is readable
 * @param differingSymbols for a mismatch, the exported symbols whose byte ranges differ, and
 *        {@value #OUTSIDE_SYMBOLS} when other bytes differ
 * @param detail why a process could not be compared, or where it differs; empty for a plain match
 */
public record ProcessVdso(int pid, String command, String executable, String container, Status status, boolean moved,
        List<String> differingSymbols, String detail) {

    /** Names the differing bytes that lie in no exported symbol (headers, tables, unexported code). */
    public static final String OUTSIDE_SYMBOLS = "<outside symbols>";

    public ProcessVdso {
        differingSymbols = List.copyOf(differingSymbols);
    }

    /** The outcome for one process. */
    public enum Status {
        /** The vDSO bytes equal the kernel's image of the process's ABI. */
        MATCH,
        /** The vDSO bytes differ from the kernel's image of the process's ABI. */
        MISMATCH,
        /** No {@code [vdso]} mapping: a kernel thread, a process that unmapped it, or vdso=0. */
        NO_VDSO,
        /** The process's memory or maps could not be read: no privilege (root or CAP_SYS_PTRACE needed). */
        UNREADABLE,
        /** Not compared for another reason than privilege: maps that do not parse, an oversized [vdso] mapping. */
        SKIPPED,
        /** The process exited during the scan. */
        EXITED
    }
}
