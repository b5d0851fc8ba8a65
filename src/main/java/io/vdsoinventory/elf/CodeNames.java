package io.vdsoinventory.elf;

import java.util.HashMap;
import java.util.Map;

/** The spec names of one coded field's values; a code without a name prints as a number (unknown codes are data). */
final class CodeNames {

    private final Map<Long, String> names = new HashMap<>();
    private final int radix;

    /** {@code radix} 16 prints unknown codes as {@code 0x...}, 10 as a plain decimal number. */
    CodeNames(int radix) {
        this.radix = radix;
    }

    long add(long code, String name) {
        names.put(code, name);
        return code;
    }

    int add(int code, String name) {
        names.put((long) code, name);
        return code;
    }

    String nameOf(long code) {
        String name = names.get(code);
        if (name != null) {
            return name;
        }
        return radix == 16 ? "0x" + Long.toHexString(code) : Long.toString(code);
    }
}
