package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.EnrollSecret;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code report} and {@code run} share (a picocli mixin): where the service is, how to enrol, and what
 * they say about the host besides its vDSO: its key, name and labels, and which extra observations to make.
 */
final class ReportingOptions {

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "the inventory service, e.g. http://127.0.0.1:8080")
    URI server;

    @Mixin
    EnrollSecret secret;

    @Option(names = "--host-key", paramLabel = "KEY", description = "default: this host's machine-id")
    String hostKey;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "the name to report (a DaemonSet passes its node's); default: this host's name")
    String hostname;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "a label of the host (repeatable; none given: the host keeps its labels)")
    Map<String, String> labels = new LinkedHashMap<>();

    /** The labels to report; null when none was given, so that the service keeps the host's labels. */
    Map<String, String> labelsOrKept() {
        return labels.isEmpty() ? null : labels;
    }

    @Option(names = "--scan-processes",
            description = "also compare every process's vDSO with the kernel's (root or CAP_SYS_PTRACE)")
    boolean scanProcesses;

    @Option(names = "--check-clock", description = "also compare the vDSO's clock_gettime with the system call")
    boolean checkClock;
}
