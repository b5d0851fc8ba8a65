package io.vdsoinventory.host;

/** The two ways of reading a clock that the vDSO's behavioural check compares; JNA stays behind it. */
interface NativeClock {

    /** Whether {@link #syscallClockGettime} knows this architecture's system call number. */
    boolean hasClockGettimeSyscall();

    /** clock_gettime(2) through syscall(2), bypassing the vDSO: nanoseconds of {@code clockId}. */
    long syscallClockGettime(int clockId);

    /** Calls the function at {@code address} as {@code int clock_gettime(clockid_t, struct timespec *)}. */
    long callClockGettime(long address, int clockId);
}
