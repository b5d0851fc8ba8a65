package io.vdsoinventory.host;

/** The bytes of a process's whole {@code [vdso]} mapping and where it was mapped. */
public record CapturedVdso(long start, long end, byte[] bytes) {
}
