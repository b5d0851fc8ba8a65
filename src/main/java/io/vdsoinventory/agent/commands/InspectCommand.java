package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.ExitCode;
import io.vdsoinventory.agent.ImageSource;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.vdso.abi.KernelVersion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code agent inspect [--json] [FILE]}: identities, exports and anomalies of an image. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print what is known about FILE, or this process's live vDSO: hashes, ELF class, byte order, "
                + "machine, soname, build-id, version definitions, dynamic symbols, structural anomalies and the "
                + "deviations from the expected vDSO ABI of its arch (unknown symbols and versions; missing symbols "
                + "when the kernel release is known). Deviations do not change the exit code.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ImageArgument image;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    private boolean json;

    @Option(names = "--kernel-release", paramLabel = "RELEASE",
            description = "the uname -r of the kernel FILE comes from, to check it for missing symbols "
                    + "(default: the running kernel's for the live vDSO, none for a FILE)")
    private String kernelRelease;

    @Override
    public Integer call() throws CommandFailure {
        ImageSource source = image.load();
        if (kernelRelease != null && KernelVersion.ofRelease(kernelRelease).isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "--kernel-release must start with MAJOR.MINOR (as uname -r does), not '" + kernelRelease + "'");
        }
        String release = kernelRelease != null || !image.isLive() ? kernelRelease
                : LinuxHost.kernelIdentity().release();
        InspectReport report = InspectReport.of(source.analyze(), release);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.json());
        } else {
            out.print(report.summary(source.description()));
        }
        out.flush(); // an auto-flushing PrintWriter flushes on println, not on print
        return ExitCode.OK.code();
    }
}
