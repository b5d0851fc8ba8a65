package io.vdsoinventory.elf;

/**
 * One section header (Elf32_Shdr / Elf64_Shdr), its name resolved from e_shstrndx.
 *
 * @param index position in the section header table
 * @param name the name from the section name string table (sh_name)
 * @param type sh_type
 * @param flags sh_flags ({@link #SHF_WRITE}, {@link #SHF_ALLOC}, {@link #SHF_EXECINSTR}, ...)
 * @param address sh_addr
 * @param offset sh_offset
 * @param size sh_size
 * @param link sh_link
 * @param info sh_info
 * @param addressAlignment sh_addralign
 * @param entrySize sh_entsize
 */
public record SectionHeader(
        int index,
        String name,
        SectionType type,
        long flags,
        long address,
        long offset,
        long size,
        int link,
        int info,
        long addressAlignment,
        long entrySize) {

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    public boolean isAllocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    public boolean isWritable() {
        return (flags & SHF_WRITE) != 0;
    }

    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    /** Whether the section occupies file bytes (every type but SHT_NULL and SHT_NOBITS). */
    public boolean hasFileData() {
        return !type.equals(SectionType.SHT_NOBITS) && !type.equals(SectionType.SHT_NULL);
    }
}
