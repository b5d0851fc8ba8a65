package io.vdsoinventory.elf;

/** STV_* from st_other (low 2 bits); readelf's "Vis" column. */
public record SymbolVisibility(int code) {

    public static final SymbolVisibility STV_DEFAULT = new SymbolVisibility(0);
    public static final SymbolVisibility STV_INTERNAL = new SymbolVisibility(1);
    public static final SymbolVisibility STV_HIDDEN = new SymbolVisibility(2);
    public static final SymbolVisibility STV_PROTECTED = new SymbolVisibility(3);

    private static final String[] READELF = {"DEFAULT", "INTERNAL", "HIDDEN", "PROTECTED"};

    public SymbolVisibility {
        if (code < 0 || code > 3) {
            throw new IllegalArgumentException("st_other visibility is two bits, not " + code);
        }
    }

    /** DEFAULT, INTERNAL, HIDDEN or PROTECTED. */
    public String readelfName() {
        return READELF[code];
    }

    @Override
    public String toString() {
        return readelfName();
    }
}
