package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.ClockChecks;
import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.ImageSource;
import io.vdsoinventory.agent.ProcessScans;
import io.vdsoinventory.agent.daemon.ServiceClient;
import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.KernelIdentity;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.host.ProcessScan;
import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.vdso.ImageFacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agent report}: one report to an inventory service. Enrolls with the enroll secret, reports this host's
 * kernel and vDSO (or, with {@code --image}, an image file under the identity the overrides give), and uploads
 * the image bytes when the service asks for them. Exit 0 only when the report and any requested upload were
 * accepted; a refusal is a {@link CommandFailure} carrying the service's problem detail (one stderr line, exit 1).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Report this host's vDSO, or an image file, to an inventory service once.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ReportingOptions reporting;

    @Option(names = "--image", paramLabel = "FILE",
            description = "report this vDSO image file instead of the live vDSO (kernel build directories, forensics, fleet simulations)")
    private Path image;

    @Option(names = "--kernel-release", paramLabel = "RELEASE", description = "default: uname -r")
    private String kernelRelease;

    @Option(names = "--kernel-version", paramLabel = "VERSION", description = "default: uname -v")
    private String kernelVersion;

    @Option(names = "--arch", paramLabel = "ARCH", description = "default: uname -m")
    private String arch;

    @Option(names = "--boot-id", paramLabel = "ID", description = "default: /proc/sys/kernel/random/boot_id")
    private String bootId;

    @Option(names = "--kernel-build-id", paramLabel = "HEX", description = "default: from /sys/kernel/notes")
    private String kernelBuildId;

    @Override
    public Integer call() throws CommandFailure {
        PrintWriter out = spec.commandLine().getOut();
        // first: a refused server (plain http off the loopback, an unreadable CA file) before touching the host
        ServiceClient client = reporting.client(spec.commandLine().getErr()::println);
        byte[] bytes = image != null ? ImageSource.file(image).bytes() : liveImage().orElse(null);
        Identity identity = identity();
        try {
            EnrollResponse enrolled = client.enroll(new EnrollRequest(reporting.secret.read(), identity.hostKey(),
                    identity.hostname()));
            VdsoFacts vdso = bytes == null ? null : ImageFacts.of(bytes);
            ReportResponse answer = client.report(enrolled.nodeKey(), new ReportRequest(UUID.randomUUID(), null,
                    identity.hostname(), reporting.labelsOrKept(), identity.kernel(), vdso, processScan(), null, null,
                    reporting.checkClock ? ClockChecks.live() : null));
            out.println("reported host " + answer.hostId() + (vdso == null ? " (no vDSO)" : " image " + vdso.sha256()));
            if (answer.imageNeeded() && vdso != null) {
                client.upload(enrolled.nodeKey(), vdso.sha256(), bytes);
                out.println("uploaded image " + vdso.sha256() + " (" + bytes.length + " bytes)");
            }
        } catch (ServiceClient.ServiceException e) {
            throw new CommandFailure(e.getMessage(), e);
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private ProcessScanSummary processScan() throws CommandFailure {
        if (!reporting.scanProcesses) {
            return null;
        }
        ProcessScan scan = ProcessScans.scan();
        ProcessScans.warnUnreadable(scan, spec.commandLine().getErr());
        return ProcessScans.summary(scan);
    }

    private record Identity(String hostKey, String hostname, KernelFacts kernel) {
    }

    /** The overrides, completed from the running host only when one is missing. */
    private Identity identity() throws CommandFailure {
        boolean complete = reporting.hostKey != null && reporting.hostname != null && kernelRelease != null && arch != null;
        KernelIdentity live = complete ? null : LinuxHost.kernelIdentity();
        String key = reporting.hostKey != null ? reporting.hostKey : live.machineId();
        if (key == null) {
            throw new CommandFailure("this host has no /etc/machine-id to derive its host key from: give --host-key");
        }
        return new Identity(
                key,
                reporting.hostname != null ? reporting.hostname : live.hostname(),
                new KernelFacts(
                        kernelRelease != null ? kernelRelease : live.release(),
                        kernelVersion != null || live == null ? kernelVersion : live.version(),
                        arch != null ? arch : live.machine(),
                        kernelBuildId != null || live == null ? kernelBuildId : live.buildId(),
                        bootId != null || live == null ? bootId : live.bootId()));
    }

    /** The live vDSO, or empty on a host booted with vdso=0: reported as a host without a vDSO. */
    private static Optional<byte[]> liveImage() throws CommandFailure {
        try {
            return LinuxHost.captureVdso().map(CapturedVdso::bytes);
        } catch (HostReadException e) {
            throw new CommandFailure("cannot capture the live vDSO: " + e.getMessage(), e);
        }
    }
}
