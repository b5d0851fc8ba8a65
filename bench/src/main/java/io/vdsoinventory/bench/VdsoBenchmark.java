package io.vdsoinventory.bench;

import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.vdso.VdsoImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The agent's per-report work, in process: (a) read a vDSO image file, parse it and compute its hashes;
 * (b) capture the live vDSO (auxv + maps, memory + /proc/self/mem), parse it and compute its hashes; and the capture
 * alone, to show how (b) splits.
 * Sample-time mode, so the results carry the median (p0.50) that bench/parser.sh reports.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VdsoBenchmark {

    /** The image file for (a); bench/parser.sh passes the live vDSO it extracted. */
    @Param("")
    public String file;

    private Path path;

    @Setup
    public void locate() {
        if (file.isEmpty()) {
            throw new IllegalArgumentException("run with -p file=PATH (bench/parser.sh does)");
        }
        path = Path.of(file);
    }

    @Benchmark
    public VdsoImage parseAndHashFile() throws IOException, ElfFormatException {
        return VdsoImage.analyze(Files.readAllBytes(path));
    }

    /** (b) without the analysis: what the capture itself (two locations, two reads) costs. */
    @Benchmark
    public CapturedVdso captureLive() throws HostReadException {
        return LinuxHost.captureVdso().orElseThrow();
    }

    @Benchmark
    public VdsoImage captureParseAndHashLive() throws HostReadException, ElfFormatException {
        CapturedVdso vdso = LinuxHost.captureVdso().orElseThrow();
        return VdsoImage.analyze(vdso.bytes());
    }
}
