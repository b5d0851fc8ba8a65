package io.vdsoinventory.agent.daemon;

import io.vdsoinventory.agent.ClockChecks;
import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ImageSource;
import io.vdsoinventory.agent.ProcessScans;
import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.KernelIdentity;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.host.ProcessScan;
import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.VdsoFacts;
import io.vdsoinventory.vdso.ImageFacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Observes the running host for the daemon: kernel identity, the live vDSO (or an image file standing in for it,
 * re-read at every observation: fleet simulations and tests), and optionally every process's vDSO. A steady
 * observation is cheap: the kernel's identity is re-read in full only after a boot (see
 * {@link LinuxHost#kernelIdentity(KernelIdentity)}), and the image is analysed again only when its bytes changed.
 */
public final class HostObserver {

    private final Path imageFile;
    private final String hostname;
    private final boolean scanProcesses;
    private final boolean checkClock;
    private final PrintWriter log;
    private boolean warnedUnreadable;
    private KernelIdentity identity;
    private byte[] image;
    private VdsoFacts facts;

    /** {@code hostname}: the name to report, null for the host's own. */
    public HostObserver(Path imageFile, String hostname, boolean scanProcesses, boolean checkClock, PrintWriter log) {
        this.imageFile = imageFile;
        this.hostname = hostname;
        this.scanProcesses = scanProcesses;
        this.checkClock = checkClock;
        this.log = log;
    }

    Observation observe() throws CommandFailure {
        Instant at = Instant.now();
        identity = identity == null ? LinuxHost.kernelIdentity() : LinuxHost.kernelIdentity(identity);
        Optional<CapturedVdso> live = capture();
        byte[] seen = imageFile != null ? ImageSource.file(imageFile).bytes() : live.map(CapturedVdso::bytes).orElse(null);
        if (!Arrays.equals(seen, image)) {
            image = seen;
            facts = seen == null ? null : ImageFacts.of(seen);
        }
        ProcessScan scan = null;
        if (scanProcesses && live.isPresent()) {
            try {
                scan = LinuxHost.processScanner().scan(live.get());
            } catch (HostReadException e) {
                throw new CommandFailure("cannot scan processes: " + e.getMessage(), e);
            }
            if (!warnedUnreadable) {
                ProcessScans.warnUnreadable(scan, log);
                warnedUnreadable = true;
            }
        }
        return new Observation(at, hostname != null ? hostname : identity.hostname(), kernelFacts(identity), image,
                facts,
                scan == null ? null : ProcessScans.summary(scan), checkClock && live.isPresent() ? ClockChecks.live() : null);
    }

    /** The host key the daemon enrols with: the host's machine-id. */
    public static String machineId() throws CommandFailure {
        String machineId = LinuxHost.kernelIdentity().machineId();
        if (machineId == null) {
            throw new CommandFailure("this host has no /etc/machine-id to derive its host key from: give --host-key");
        }
        return machineId;
    }

    static KernelFacts kernelFacts(KernelIdentity identity) {
        return new KernelFacts(identity.release(), identity.version(), identity.machine(), identity.buildId(),
                identity.bootId());
    }

    private static Optional<CapturedVdso> capture() throws CommandFailure {
        try {
            return LinuxHost.captureVdso();
        } catch (HostReadException e) {
            throw new CommandFailure("cannot capture the live vDSO: " + e.getMessage(), e);
        }
    }
}
