package io.vdsoinventory.host;

/**
 * The bytes of a process's whole {@code [vdso]} mapping (page padding included) and the virtual address range
 * {@code [start, end)} it was mapped at.
 */
public record CapturedVdso(long start, long end, byte[] bytes) {

    public CapturedVdso {
        if (end - start != bytes.length) {
            throw new IllegalArgumentException("mapping 0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end)
                    + " does not hold " + bytes.length + " bytes");
        }
    }
}
