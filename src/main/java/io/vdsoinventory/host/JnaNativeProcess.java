package io.vdsoinventory.host;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@link NativeProcess} and {@link NativeClock} through JNA on the process's own glibc/musl. */
final class JnaNativeProcess implements NativeProcess, NativeClock {

    /**
     * {@code struct utsname} on Linux is six {@code char[65]} fields, in the order sysname, nodename, release,
     * version, machine, domainname (glibc sysdeps/unix/sysv/linux/bits/utsname.h, _UTSNAME_LENGTH 65).
     */
    private static final int UTS_FIELD_LENGTH = 65;
    private static final int UTS_FIELDS = 6;

    private interface LibC extends Library {
        NativeLong getauxval(NativeLong type);

        int uname(byte[] utsname);

        NativeLong syscall(NativeLong number, int clockId, Pointer timespec);
    }

    /**
     * SYS_clock_gettime per architecture (arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h
     * for arm64 and riscv64); absent elsewhere.
     */
    private static final Map<String, Long> CLOCK_GETTIME = Map.of(
            "amd64", 228L, "x86_64", 228L, "aarch64", 113L, "riscv64", 113L);

    private final LibC libc = Native.load("c", LibC.class);

    @Override
    public long auxiliaryValue(long type) {
        return libc.getauxval(new NativeLong(type)).longValue();
    }

    @Override
    public Uname uname() {
        byte[] utsname = new byte[UTS_FIELD_LENGTH * UTS_FIELDS];
        if (libc.uname(utsname) != 0) {
            // uname(2) documents only EFAULT, which a Java array cannot cause
            throw new IllegalStateException("uname(2) failed with errno " + Native.getLastError());
        }
        return new Uname(utsField(utsname, 1), utsField(utsname, 2), utsField(utsname, 3), utsField(utsname, 4));
    }

    @Override
    public byte[] readMemory(long address, int length) {
        return new Pointer(address).getByteArray(0, length);
    }

    @Override
    public boolean hasClockGettimeSyscall() {
        return CLOCK_GETTIME.containsKey(System.getProperty("os.arch"));
    }

    @Override
    public long syscallClockGettime(int clockId) {
        try (Memory timespec = new Memory(TIMESPEC_BYTES)) {
            long result = libc.syscall(new NativeLong(CLOCK_GETTIME.get(System.getProperty("os.arch"))), clockId, timespec)
                    .longValue();
            if (result != 0) {
                throw new IllegalStateException("clock_gettime(2) failed with errno " + Native.getLastError());
            }
            return nanos(timespec);
        }
    }

    @Override
    public long callClockGettime(long address, int clockId) {
        try (Memory timespec = new Memory(TIMESPEC_BYTES)) {
            int result = Function.getFunction(new Pointer(address)).invokeInt(new Object[] {clockId, timespec});
            if (result != 0) {
                throw new IllegalStateException("the vDSO's clock_gettime returned " + result);
            }
            return nanos(timespec);
        }
    }

    /** {@code struct timespec} on a 64-bit ABI: tv_sec and tv_nsec, both 64-bit. */
    private static final int TIMESPEC_BYTES = 16;

    private static long nanos(Memory timespec) {
        return Math.addExact(Math.multiplyExact(timespec.getLong(0), 1_000_000_000L), timespec.getLong(8));
    }

    private static String utsField(byte[] utsname, int field) {
        int from = field * UTS_FIELD_LENGTH;
        int end = from;
        while (end < from + UTS_FIELD_LENGTH && utsname[end] != 0) {
            end++;
        }
        return new String(utsname, from, end - from, StandardCharsets.UTF_8);
    }
}
