package io.vdsoinventory.host;

import java.util.Optional;

/** Skeleton of reading the running host (JNA behind it). */
public final class LinuxHost {

    private LinuxHost() {
    }

    /** The current process's vDSO, or empty on a host booted with vdso=0. */
    public static Optional<CapturedVdso> captureVdso() throws HostReadException {
        throw new HostReadException("not implemented yet");
    }

    public static KernelIdentity kernelIdentity() {
        throw new UnsupportedOperationException();
    }
}
