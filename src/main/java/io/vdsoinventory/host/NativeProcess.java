package io.vdsoinventory.host;

/**
 * What the agent needs from the C library of its own process. Kept this small so that JNA stays behind it
 * ({@link JnaNativeProcess}) and the capture logic can be exercised without native calls.
 */
interface NativeProcess {

    /** {@code AT_SYSINFO_EHDR} (include/uapi/linux/auxvec.h): the address of the vDSO's ELF header. */
    long AT_SYSINFO_EHDR = 33;

    /** getauxval(3): the auxiliary vector entry {@code type}, 0 when absent. */
    long auxiliaryValue(long type);

    /** uname(2) of the running kernel. */
    Uname uname();

    /** A copy of {@code length} bytes of this process's memory at {@code address}, which must be mapped readable. */
    byte[] readMemory(long address, int length);

    /** The fields of {@code struct utsname} the product uses. */
    record Uname(String nodename, String release, String version, String machine) {
    }
}
