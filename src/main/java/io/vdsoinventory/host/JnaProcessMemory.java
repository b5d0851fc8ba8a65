package io.vdsoinventory.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.file.Files;

/**
 * {@link ProcessMemory} through process_vm_readv(2), falling back to /proc/pid/mem. process_vm_readv needs only
 * PTRACE_MODE_ATTACH_REALCREDS (root or CAP_SYS_PTRACE), while opening another user's /proc/pid/mem can be refused
 * (EACCES) even then, e.g. as root with only CAP_SYS_PTRACE in a container; the fallback covers kernels or seccomp
 * profiles without the system call.
 */
final class JnaProcessMemory implements ProcessMemory {

    /** errno values (include/uapi/asm-generic/errno-base.h, errno.h). */
    private static final int ESRCH = 3;
    private static final int ENOSYS = 38;
    private static final int EPERM = 1;

    /** {@code struct iovec} (include/uapi/linux/uio.h). */
    @Structure.FieldOrder({"base", "length"})
    public static final class Iovec extends Structure {
        public Pointer base;
        public NativeLong length;
    }

    private interface LibC extends Library {
        NativeLong process_vm_readv(int pid, Iovec local, NativeLong localCount, Iovec remote, NativeLong remoteCount,
                NativeLong flags) throws LastErrorException;
    }

    private final LibC libc = Native.load("c", LibC.class);
    private final HostFiles files;

    JnaProcessMemory(HostFiles files) {
        this.files = files;
    }

    @Override
    public byte[] read(int pid, long address, int length) throws MemoryReadException {
        Memory buffer = new Memory(length);
        Iovec local = new Iovec();
        local.base = buffer;
        local.length = new NativeLong(length);
        Iovec remote = new Iovec();
        remote.base = new Pointer(address);
        remote.length = new NativeLong(length);
        try {
            long read = libc.process_vm_readv(pid, local, new NativeLong(1), remote, new NativeLong(1),
                    new NativeLong(0)).longValue();
            if (read == length) {
                return buffer.getByteArray(0, length);
            }
            return viaProcMem(pid, address, length, "process_vm_readv read " + read + " of " + length + " bytes");
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                throw new MemoryReadException("exited", true);
            }
            String reason = e.getErrorCode() == EPERM ? "process_vm_readv: EPERM" : "process_vm_readv: errno "
                    + e.getErrorCode() + (e.getErrorCode() == ENOSYS ? " (ENOSYS)" : "");
            return viaProcMem(pid, address, length, reason);
        } finally {
            buffer.close();
        }
    }

    private byte[] viaProcMem(int pid, long address, int length, String firstFailure) throws MemoryReadException {
        try {
            return files.readAt("proc/" + pid + "/mem", address, length);
        } catch (HostReadException e) {
            if (!Files.exists(files.path("proc/" + pid))) {
                throw new MemoryReadException("exited", true);
            }
            throw new MemoryReadException(firstFailure + "; " + e.getMessage(), false);
        }
    }
}
