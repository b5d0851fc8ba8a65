package io.vdsoinventory.elf;

/** e_type. An open value type: unknown codes are kept as numbers. A vDSO is ET_DYN. */
public record ElfType(int code) {

    private static final CodeNames NAMES = new CodeNames(16);

    public static final ElfType ET_NONE = new ElfType(NAMES.add(0, "ET_NONE"));
    public static final ElfType ET_REL = new ElfType(NAMES.add(1, "ET_REL"));
    public static final ElfType ET_EXEC = new ElfType(NAMES.add(2, "ET_EXEC"));
    public static final ElfType ET_DYN = new ElfType(NAMES.add(3, "ET_DYN"));
    public static final ElfType ET_CORE = new ElfType(NAMES.add(4, "ET_CORE"));

    /** The spec name, or {@code 0x...} for a code without a constant. */
    public String name() {
        return NAMES.nameOf(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
