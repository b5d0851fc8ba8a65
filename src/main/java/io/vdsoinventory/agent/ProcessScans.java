package io.vdsoinventory.agent;

import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.host.ProcessScan;
import io.vdsoinventory.host.ProcessVdso;
import io.vdsoinventory.protocol.ProcessMismatch;
import io.vdsoinventory.protocol.ProcessScanSummary;
import java.io.PrintWriter;
import java.util.List;

/** The process scan as the commands and the daemon make and report it. */
public final class ProcessScans {

    private ProcessScans() {
    }

    /** This host's scan against the agent's own live vDSO. */
    public static ProcessScan scan() throws CommandFailure {
        try {
            return LinuxHost.processScanner().scan(ImageSource.captureLive());
        } catch (HostReadException e) {
            throw new CommandFailure("cannot scan processes: " + e.getMessage(), e);
        }
    }

    /** The wire summary of a scan: counts by outcome, the privilege it ran with, the first mismatching processes. */
    public static ProcessScanSummary summary(ProcessScan scan) {
        List<ProcessMismatch> listed = scan.mismatches().stream().limit(ProcessScanSummary.MAX_LISTED)
                .map(p -> new ProcessMismatch(p.pid(), p.command(), p.executable(), p.container(),
                        p.differingSymbols()))
                .toList();
        int mismatches = scan.mismatches().size();
        return new ProcessScanSummary(scan.compared(), mismatches, scan.count(ProcessVdso.Status.UNREADABLE), listed,
                scan.count(ProcessVdso.Status.NO_VDSO), scan.count(ProcessVdso.Status.EXITED),
                mismatches > listed.size(), scan.count(ProcessVdso.Status.SKIPPED), scan.privileged());
    }

    /** The one stderr line about processes the agent may not read, when there are any. */
    public static void warnUnreadable(ProcessScan scan, PrintWriter err) {
        int unreadable = scan.count(ProcessVdso.Status.UNREADABLE);
        if (unreadable > 0) {
            err.println("scan-processes: " + unreadable + " processes could not be read: run as root or with "
                    + "CAP_SYS_PTRACE to compare them too");
            err.flush();
        }
    }
}
