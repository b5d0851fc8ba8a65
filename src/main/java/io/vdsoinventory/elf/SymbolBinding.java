package io.vdsoinventory.elf;

/** STB_* from st_info (high 4 bits). An open value type; {@link #readelfName()} spells it as readelf does. */
public record SymbolBinding(int code) {

    public static final SymbolBinding STB_LOCAL = new SymbolBinding(0);
    public static final SymbolBinding STB_GLOBAL = new SymbolBinding(1);
    public static final SymbolBinding STB_WEAK = new SymbolBinding(2);
    /** STB_LOOS: unique in the whole process (GNU). */
    public static final SymbolBinding STB_GNU_UNIQUE = new SymbolBinding(10);

    private static final String[] READELF = {"LOCAL", "GLOBAL", "WEAK"};

    /** readelf's column: LOCAL, GLOBAL, WEAK, UNIQUE, or its text for other codes. */
    public String readelfName() {
        if (code >= 0 && code < READELF.length) {
            return READELF[code];
        }
        if (code == STB_GNU_UNIQUE.code) {
            return "UNIQUE";
        }
        return otherCode(code);
    }

    /** How readelf (binutils 2.40 get_symbol_type/get_symbol_binding) prints a code it has no name for. */
    static String otherCode(int code) {
        if (code >= 13 && code <= 15) {
            return "<processor specific>: " + code;
        }
        if (code >= 10 && code <= 12) {
            return "<OS specific>: " + code;
        }
        return "<unknown>: " + code;
    }

    @Override
    public String toString() {
        return readelfName();
    }
}
