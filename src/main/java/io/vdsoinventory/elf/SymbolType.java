package io.vdsoinventory.elf;

/** STT_* from st_info (low 4 bits). An open value type; {@link #readelfName()} spells it as readelf does. */
public record SymbolType(int code) {

    public static final SymbolType STT_NOTYPE = new SymbolType(0);
    public static final SymbolType STT_OBJECT = new SymbolType(1);
    public static final SymbolType STT_FUNC = new SymbolType(2);
    public static final SymbolType STT_SECTION = new SymbolType(3);
    public static final SymbolType STT_FILE = new SymbolType(4);
    public static final SymbolType STT_COMMON = new SymbolType(5);
    public static final SymbolType STT_TLS = new SymbolType(6);
    /** STT_LOOS: an indirect function in GNU/Linux objects. */
    public static final SymbolType STT_GNU_IFUNC = new SymbolType(10);

    private static final String[] READELF = {"NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE", "COMMON", "TLS"};

    /** readelf's column: FUNC, OBJECT, NOTYPE, SECTION, FILE, COMMON, TLS, IFUNC, or its text for other codes. */
    public String readelfName() {
        if (code >= 0 && code < READELF.length) {
            return READELF[code];
        }
        if (code == STT_GNU_IFUNC.code) {
            return "IFUNC";
        }
        return SymbolBinding.otherCode(code);
    }

    @Override
    public String toString() {
        return readelfName();
    }
}
