package io.vdsoinventory.host;

import java.util.List;
import java.util.Optional;

/**
 * Reading the running Linux host: this process's vDSO and the kernel's identity. JNA stays behind
 * {@link NativeProcess}; files are read from the real root.
 */
public final class LinuxHost {

    private LinuxHost() {
    }

    /** Loads libc once, on first use, so that commands reading only files never touch native code. */
    private static final class Native {
        static final JnaNativeProcess PROCESS = new JnaNativeProcess();
    }

    /**
     * The current process's whole {@code [vdso]} mapping, located through getauxval(AT_SYSINFO_EHDR) and
     * /proc/self/maps and read through memory and /proc/self/mem; empty when the process has no vDSO (a kernel
     * booted with vdso=0).
     *
     * @throws HostReadException when the locations or the bytes disagree, or /proc cannot be read
     */
    public static Optional<CapturedVdso> captureVdso() throws HostReadException {
        return new VdsoCapture(Native.PROCESS, HostFiles.system()).capture();
    }

    /** The scanner of every process's vDSO, reading memory through process_vm_readv(2) or /proc/pid/mem. */
    public static ProcessScanner processScanner() {
        return new ProcfsProcessScanner(HostFiles.system(), new JnaProcessMemory(HostFiles.system()));
    }

    /**
     * The behavioural check of this process's vDSO: its clock_gettime against the system call, for
     * CLOCK_REALTIME and CLOCK_MONOTONIC; empty when the vDSO exports no clock_gettime or the architecture's system
     * call number is not known here.
     */
    public static Optional<List<ClockCheck>> checkClock(CapturedVdso vdso) throws HostReadException {
        return ClockCheck.run(Native.PROCESS, vdso);
    }

    /** uname(2) and the host's identity files; facts the host does not expose are null. */
    public static KernelIdentity kernelIdentity() {
        return new KernelIdentityReader(Native.PROCESS, HostFiles.system()).read();
    }

    /** {@link #kernelIdentity()} again, re-reading only what can change within one boot (see the boot id). */
    public static KernelIdentity kernelIdentity(KernelIdentity known) {
        return new KernelIdentityReader(Native.PROCESS, HostFiles.system()).refresh(known);
    }
}
