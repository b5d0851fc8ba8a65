package io.vdsoinventory.elf;

/** p_type. An open value type: unknown codes (OS or processor specific) are kept as numbers. */
public record ProgramType(long code) {

    private static final CodeNames NAMES = new CodeNames(16);

    public static final ProgramType PT_NULL = new ProgramType(NAMES.add(0, "PT_NULL"));
    public static final ProgramType PT_LOAD = new ProgramType(NAMES.add(1, "PT_LOAD"));
    public static final ProgramType PT_DYNAMIC = new ProgramType(NAMES.add(2, "PT_DYNAMIC"));
    public static final ProgramType PT_INTERP = new ProgramType(NAMES.add(3, "PT_INTERP"));
    public static final ProgramType PT_NOTE = new ProgramType(NAMES.add(4, "PT_NOTE"));
    public static final ProgramType PT_SHLIB = new ProgramType(NAMES.add(5, "PT_SHLIB"));
    public static final ProgramType PT_PHDR = new ProgramType(NAMES.add(6, "PT_PHDR"));
    public static final ProgramType PT_TLS = new ProgramType(NAMES.add(7, "PT_TLS"));
    public static final ProgramType PT_GNU_EH_FRAME = new ProgramType(NAMES.add(0x6474e550L, "PT_GNU_EH_FRAME"));
    public static final ProgramType PT_GNU_STACK = new ProgramType(NAMES.add(0x6474e551L, "PT_GNU_STACK"));
    public static final ProgramType PT_GNU_RELRO = new ProgramType(NAMES.add(0x6474e552L, "PT_GNU_RELRO"));
    public static final ProgramType PT_GNU_PROPERTY = new ProgramType(NAMES.add(0x6474e553L, "PT_GNU_PROPERTY"));

    /** The spec name, or {@code 0x...} for a code without a constant. */
    public String name() {
        return NAMES.nameOf(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
