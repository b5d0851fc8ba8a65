package io.vdsoinventory.host;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/** {@link NativeProcess} through JNA on the process's own glibc/musl. */
final class JnaNativeProcess implements NativeProcess {

    /**
     * {@code struct utsname} on Linux is six {@code char[65]} fields, in the order sysname, nodename, release,
     * version, machine, domainname (glibc sysdeps/unix/sysv/linux/bits/utsname.h, _UTSNAME_LENGTH 65).
     */
    private static final int UTS_FIELD_LENGTH = 65;
    private static final int UTS_FIELDS = 6;

    private interface LibC extends Library {
        NativeLong getauxval(NativeLong type);

        int uname(byte[] utsname);
    }

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

    private static String utsField(byte[] utsname, int field) {
        int from = field * UTS_FIELD_LENGTH;
        int end = from;
        while (end < from + UTS_FIELD_LENGTH && utsname[end] != 0) {
            end++;
        }
        return new String(utsname, from, end - from, StandardCharsets.UTF_8);
    }
}
