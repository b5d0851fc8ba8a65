package io.vdsoinventory.elf;

/** sh_type. An open value type: unknown codes are kept as numbers. */
public record SectionType(long code) {

    private static final CodeNames NAMES = new CodeNames(16);

    public static final SectionType SHT_NULL = new SectionType(NAMES.add(0, "SHT_NULL"));
    public static final SectionType SHT_PROGBITS = new SectionType(NAMES.add(1, "SHT_PROGBITS"));
    public static final SectionType SHT_SYMTAB = new SectionType(NAMES.add(2, "SHT_SYMTAB"));
    public static final SectionType SHT_STRTAB = new SectionType(NAMES.add(3, "SHT_STRTAB"));
    public static final SectionType SHT_RELA = new SectionType(NAMES.add(4, "SHT_RELA"));
    public static final SectionType SHT_HASH = new SectionType(NAMES.add(5, "SHT_HASH"));
    public static final SectionType SHT_DYNAMIC = new SectionType(NAMES.add(6, "SHT_DYNAMIC"));
    public static final SectionType SHT_NOTE = new SectionType(NAMES.add(7, "SHT_NOTE"));
    public static final SectionType SHT_NOBITS = new SectionType(NAMES.add(8, "SHT_NOBITS"));
    public static final SectionType SHT_REL = new SectionType(NAMES.add(9, "SHT_REL"));
    public static final SectionType SHT_DYNSYM = new SectionType(NAMES.add(11, "SHT_DYNSYM"));
    public static final SectionType SHT_INIT_ARRAY = new SectionType(NAMES.add(14, "SHT_INIT_ARRAY"));
    public static final SectionType SHT_FINI_ARRAY = new SectionType(NAMES.add(15, "SHT_FINI_ARRAY"));
    public static final SectionType SHT_GNU_HASH = new SectionType(NAMES.add(0x6ffffff6L, "SHT_GNU_HASH"));
    public static final SectionType SHT_GNU_verdef = new SectionType(NAMES.add(0x6ffffffdL, "SHT_GNU_verdef"));
    public static final SectionType SHT_GNU_verneed = new SectionType(NAMES.add(0x6ffffffeL, "SHT_GNU_verneed"));
    public static final SectionType SHT_GNU_versym = new SectionType(NAMES.add(0x6fffffffL, "SHT_GNU_versym"));

    /** The spec name, or {@code 0x...} for a code without a constant. */
    public String name() {
        return NAMES.nameOf(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
