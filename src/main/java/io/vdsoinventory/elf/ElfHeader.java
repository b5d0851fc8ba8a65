package io.vdsoinventory.elf;

import java.nio.ByteOrder;

/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr), widened to one view. */
public record ElfHeader(
        ElfClass elfClass,
        ByteOrder byteOrder,
        int osAbi,
        int type,
        ElfMachine machine,
        long entry,
        long programHeaderOffset,
        long sectionHeaderOffset,
        int flags,
        int headerSize,
        int programHeaderEntrySize,
        int programHeaderCount,
        int sectionHeaderEntrySize,
        int sectionHeaderCount,
        int sectionNameTableIndex) {
}
