package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.ClockChecks;
import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.ProcessScans;
import io.vdsoinventory.host.ProcessScan;
import io.vdsoinventory.host.ProcessVdso;
import io.vdsoinventory.protocol.ClockReading;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code agent scan-processes [--json]}: compares every process's vDSO with the kernel's image of its ABI and lists
 * the processes that differ, with the symbols whose bytes differ. Exit 0 whatever it finds; a process it may not
 * read is counted and, once, explained on stderr.
 */
@Command(name = "scan-processes", mixinStandardHelpOptions = true,
        description = "Compare every process's [vdso] mapping with the kernel's image of its ABI (the agent's own "
                + "for its ABI; for another ABI, e.g. 32-bit, the image most of its processes map). Needs root or "
                + "CAP_SYS_PTRACE to read other users' processes.")
final class ScanProcessesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    private boolean json;

    @Option(names = "--check-clock", description = "also call this process's vDSO clock_gettime and compare it with the system call")
    private boolean checkClock;

    @Override
    public Integer call() throws CommandFailure {
        ProcessScan scan = ProcessScans.scan();
        List<ClockReading> clock = checkClock ? ClockChecks.live() : null;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            // databind, made here only: run and report must not load it (AgentJson)
            out.println(JsonMapper.builder().build().writeValueAsString(new JsonScan(scan, clock)));
        } else {
            if (clock != null) {
                ClockChecks.print(clock, out);
            }
            out.println(summaryLine(scan));
            for (ProcessVdso process : scan.mismatches()) {
                out.println("MISMATCH pid " + process.pid() + " comm " + process.command() + " exe "
                        + process.executable() + " cgroup " + process.container() + " symbols "
                        + String.join(",", process.differingSymbols()) + " (" + process.detail() + ")"
                        + (process.moved() ? " moved" : ""));
            }
        }
        out.flush();
        ProcessScans.warnUnreadable(scan, spec.commandLine().getErr());
        return ExitCode.OK.code();
    }

    private static String summaryLine(ProcessScan scan) {
        return "scanned " + scan.processes().size() + " processes: " + scan.compared() + " compared, "
                + scan.mismatches().size() + " mismatching, " + scan.count(ProcessVdso.Status.NO_VDSO)
                + " without a vDSO, " + scan.count(ProcessVdso.Status.UNREADABLE) + " unreadable, "
                + scan.count(ProcessVdso.Status.SKIPPED) + " skipped, "
                + scan.count(ProcessVdso.Status.EXITED) + " exited during the scan"
                + (scan.complete() ? "" : " (incomplete)") + (scan.privileged() ? "" : ", unprivileged");
    }

    /** The --json shape: counts by outcome, the coverage, and every process that is not a plain match. */
    private record JsonScan(int scanned, int compared, int mismatching, int withoutVdso, int unreadable, int skipped,
            int exited, boolean complete, boolean privileged, List<ProcessVdso> notMatching,
            List<ClockReading> clockCheck) {
        JsonScan(ProcessScan scan, List<ClockReading> clockCheck) {
            this(scan.processes().size(), scan.compared(), scan.mismatches().size(),
                    scan.count(ProcessVdso.Status.NO_VDSO), scan.count(ProcessVdso.Status.UNREADABLE),
                    scan.count(ProcessVdso.Status.SKIPPED), scan.count(ProcessVdso.Status.EXITED), scan.complete(),
                    scan.privileged(),
                    scan.processes().stream().filter(p -> p.status() != ProcessVdso.Status.MATCH
                            && p.status() != ProcessVdso.Status.NO_VDSO).toList(), clockCheck);
        }
    }
}
