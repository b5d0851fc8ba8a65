package io.vdsoinventory.host;

/** Reads another process's memory; kept this small so that JNA stays behind it. */
interface ProcessMemory {

    /** {@code length} bytes at {@code address} of process {@code pid}. */
    byte[] read(int pid, long address, int length) throws MemoryReadException;

    /** Why a read failed, as the scan reports it. */
    final class MemoryReadException extends Exception {
        private final boolean exited;

        MemoryReadException(String message, boolean exited) {
            super(message);
            this.exited = exited;
        }

        /** The process is gone (ESRCH), as opposed to unreadable. */
        boolean exited() {
            return exited;
        }
    }
}
