package io.vdsoinventory.elf;

/**
 * One .dynsym entry with its name and, when the image has versym + verdef, its version.
 *
 * @param index the entry's index in .dynsym (entry 0, the null symbol, is never listed)
 * @param name the name from the dynamic string table (st_name)
 * @param value st_value
 * @param size st_size
 * @param type STT_* of st_info
 * @param binding STB_* of st_info
 * @param visibility STV_* of st_other
 * @param sectionIndex st_shndx ({@link #SHN_UNDEF}, {@link #SHN_ABS}, or a section number)
 * @param version the version definition named by versym, or {@code null} when the image has no versions or the
 *     symbol is local/global (versym 0 or 1)
 * @param hidden the versym hidden bit: readelf prints {@code name@VER} instead of the default {@code name@@VER}
 * @param versionIndex the symbol's versym entry without the hidden bit (0 local, 1 global/base, 2.. a version),
 *     or {@link #NO_VERSYM} when the image has no versym table
 * @param displayName the name as readelf and objdump show it: {@code name}, except that an STT_SECTION symbol
 *     with st_name 0 shows the name of its section (st_shndx), as binutils' bfd_elf_sym_name does
 */
public record ElfSymbol(
        int index,
        String name,
        long value,
        long size,
        SymbolType type,
        SymbolBinding binding,
        SymbolVisibility visibility,
        int sectionIndex,
        String version,
        boolean hidden,
        int versionIndex,
        String displayName) {

    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;
    /** {@link #versionIndex()} of a symbol in an image without a versym table. */
    public static final int NO_VERSYM = -1;

    public ElfSymbol {
        if (displayName == null) {
            displayName = name;
        }
    }

    /** A symbol whose versym entry is not known and that shows under its own name. */
    public ElfSymbol(int index, String name, long value, long size, SymbolType type, SymbolBinding binding,
            SymbolVisibility visibility, int sectionIndex, String version, boolean hidden) {
        this(index, name, value, size, type, binding, visibility, sectionIndex, version, hidden, NO_VERSYM, name);
    }

    /** Whether the symbol is defined here (st_shndx is not SHN_UNDEF). */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }
}
