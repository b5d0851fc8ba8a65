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
        boolean hidden) {

    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    /** Whether the symbol is defined here (st_shndx is not SHN_UNDEF). */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }
}
