package io.vdsoinventory.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What {@code report} and {@code run} say about the host besides its vDSO: its key and labels, and which extra
 * observations to make (a picocli mixin).
 */
final class HostOptions {

    @Option(names = "--host-key", paramLabel = "KEY", description = "default: this host's machine-id")
    String hostKey;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label of the host (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--scan-processes",
            description = "also compare every process's vDSO with the kernel's (root or CAP_SYS_PTRACE)")
    boolean scanProcesses;

    @Option(names = "--check-clock", description = "also compare the vDSO's clock_gettime with the system call")
    boolean checkClock;
}
