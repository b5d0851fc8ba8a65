package io.vdsoinventory.host;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The behavioural check of the vDSO: calls its clock_gettime at the symbol's address and the kernel's
 * clock_gettime system call around it. A truthful vDSO's reading lies between the two system call readings; a
 * vDSO that lies about time is tampered even when its bytes look plausible.
 *
 * @param symbol the vDSO function called ({@code __vdso_clock_gettime}, {@code __kernel_clock_gettime})
 * @param clock the clock read ({@code CLOCK_REALTIME}, {@code CLOCK_MONOTONIC})
 * @param differenceNanos the vDSO reading minus the midpoint of the two system call readings
 * @param consistent whether the vDSO reading lies between the two system call readings
 */
public record ClockCheck(String symbol, String clock, long differenceNanos, boolean consistent) {

    /** clockid_t values (include/uapi/linux/time.h). */
    enum Clock {
        CLOCK_REALTIME(0), CLOCK_MONOTONIC(1);

        final int id;

        Clock(int id) {
            this.id = id;
        }
    }

    /** Reads both clocks both ways; empty when the image exports no clock_gettime or the arch has no syscall number. */
    static Optional<List<ClockCheck>> run(NativeClock process, CapturedVdso vdso) throws HostReadException {
        Optional<ElfSymbol> function;
        OptionalLong offset;
        try {
            ElfFile elf = ElfFile.parse(vdso.bytes());
            function = elf.dynamicSymbols().stream()
                    .filter(s -> s.isDefined() && s.name().endsWith("clock_gettime") && s.name().startsWith("__"))
                    .min(Comparator.comparing(ElfSymbol::name));
            offset = function.isPresent() ? elf.fileOffsetOf(function.get().value()) : OptionalLong.empty();
        } catch (ElfFormatException e) {
            throw new HostReadException("the live vDSO is not a readable ELF image: " + e.getMessage(), e);
        }
        if (function.isEmpty() || offset.isEmpty() || !process.hasClockGettimeSyscall()) {
            return Optional.empty();
        }
        long address = vdso.start() + offset.getAsLong();
        List<ClockCheck> checks = new ArrayList<>();
        for (Clock clock : Clock.values()) {
            long before = process.syscallClockGettime(clock.id);
            long viaVdso = process.callClockGettime(address, clock.id);
            long after = process.syscallClockGettime(clock.id);
            long midpoint = before + (after - before) / 2;
            checks.add(new ClockCheck(function.get().name(), clock.name(), viaVdso - midpoint,
                    before <= viaVdso && viaVdso <= after));
        }
        return Optional.of(checks);
    }
}
