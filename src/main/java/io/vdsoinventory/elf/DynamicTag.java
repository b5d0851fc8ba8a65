package io.vdsoinventory.elf;

/** d_tag of a dynamic entry. An open value type: unknown tags are kept as numbers. */
public record DynamicTag(long code) {

    private static final CodeNames NAMES = new CodeNames(16);

    public static final DynamicTag DT_NULL = new DynamicTag(NAMES.add(0, "DT_NULL"));
    public static final DynamicTag DT_NEEDED = new DynamicTag(NAMES.add(1, "DT_NEEDED"));
    public static final DynamicTag DT_PLTRELSZ = new DynamicTag(NAMES.add(2, "DT_PLTRELSZ"));
    public static final DynamicTag DT_PLTGOT = new DynamicTag(NAMES.add(3, "DT_PLTGOT"));
    public static final DynamicTag DT_HASH = new DynamicTag(NAMES.add(4, "DT_HASH"));
    public static final DynamicTag DT_STRTAB = new DynamicTag(NAMES.add(5, "DT_STRTAB"));
    public static final DynamicTag DT_SYMTAB = new DynamicTag(NAMES.add(6, "DT_SYMTAB"));
    public static final DynamicTag DT_RELA = new DynamicTag(NAMES.add(7, "DT_RELA"));
    public static final DynamicTag DT_RELASZ = new DynamicTag(NAMES.add(8, "DT_RELASZ"));
    public static final DynamicTag DT_RELAENT = new DynamicTag(NAMES.add(9, "DT_RELAENT"));
    public static final DynamicTag DT_STRSZ = new DynamicTag(NAMES.add(10, "DT_STRSZ"));
    public static final DynamicTag DT_SYMENT = new DynamicTag(NAMES.add(11, "DT_SYMENT"));
    public static final DynamicTag DT_INIT = new DynamicTag(NAMES.add(12, "DT_INIT"));
    public static final DynamicTag DT_FINI = new DynamicTag(NAMES.add(13, "DT_FINI"));
    public static final DynamicTag DT_SONAME = new DynamicTag(NAMES.add(14, "DT_SONAME"));
    public static final DynamicTag DT_RPATH = new DynamicTag(NAMES.add(15, "DT_RPATH"));
    public static final DynamicTag DT_SYMBOLIC = new DynamicTag(NAMES.add(16, "DT_SYMBOLIC"));
    public static final DynamicTag DT_REL = new DynamicTag(NAMES.add(17, "DT_REL"));
    public static final DynamicTag DT_RELSZ = new DynamicTag(NAMES.add(18, "DT_RELSZ"));
    public static final DynamicTag DT_RELENT = new DynamicTag(NAMES.add(19, "DT_RELENT"));
    public static final DynamicTag DT_PLTREL = new DynamicTag(NAMES.add(20, "DT_PLTREL"));
    public static final DynamicTag DT_DEBUG = new DynamicTag(NAMES.add(21, "DT_DEBUG"));
    public static final DynamicTag DT_TEXTREL = new DynamicTag(NAMES.add(22, "DT_TEXTREL"));
    public static final DynamicTag DT_JMPREL = new DynamicTag(NAMES.add(23, "DT_JMPREL"));
    public static final DynamicTag DT_BIND_NOW = new DynamicTag(NAMES.add(24, "DT_BIND_NOW"));
    public static final DynamicTag DT_RUNPATH = new DynamicTag(NAMES.add(29, "DT_RUNPATH"));
    public static final DynamicTag DT_FLAGS = new DynamicTag(NAMES.add(30, "DT_FLAGS"));
    public static final DynamicTag DT_GNU_HASH = new DynamicTag(NAMES.add(0x6ffffef5L, "DT_GNU_HASH"));
    public static final DynamicTag DT_VERSYM = new DynamicTag(NAMES.add(0x6ffffff0L, "DT_VERSYM"));
    public static final DynamicTag DT_RELACOUNT = new DynamicTag(NAMES.add(0x6ffffff9L, "DT_RELACOUNT"));
    public static final DynamicTag DT_RELCOUNT = new DynamicTag(NAMES.add(0x6ffffffaL, "DT_RELCOUNT"));
    public static final DynamicTag DT_FLAGS_1 = new DynamicTag(NAMES.add(0x6ffffffbL, "DT_FLAGS_1"));
    public static final DynamicTag DT_VERDEF = new DynamicTag(NAMES.add(0x6ffffffcL, "DT_VERDEF"));
    public static final DynamicTag DT_VERDEFNUM = new DynamicTag(NAMES.add(0x6ffffffdL, "DT_VERDEFNUM"));
    public static final DynamicTag DT_VERNEED = new DynamicTag(NAMES.add(0x6ffffffeL, "DT_VERNEED"));
    public static final DynamicTag DT_VERNEEDNUM = new DynamicTag(NAMES.add(0x6fffffffL, "DT_VERNEEDNUM"));

    /** The spec name, or {@code 0x...} for a tag without a constant. */
    public String name() {
        return NAMES.nameOf(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
