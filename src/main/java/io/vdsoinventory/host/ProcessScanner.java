package io.vdsoinventory.host;

/**
 * Compares every process's {@code [vdso]} mapping with the kernel's image of the same ABI. The kernel's image for
 * the agent's own ABI is the agent's own capture; for another ABI (a 32-bit process on a 64-bit kernel) it is the
 * image most processes of that ABI map (first seen on a tie), since the agent cannot map that vDSO itself.
 */
public interface ProcessScanner {

    /** Scans all processes; {@code own} is the agent's capture of its own vDSO. Never fails for one process. */
    ProcessScan scan(CapturedVdso own) throws HostReadException;
}
