package io.vdsoinventory.elf;

/** One section header (Elf32_Shdr / Elf64_Shdr), its name resolved from e_shstrndx. */
public record SectionHeader(
        int index,
        String name,
        long type,
        long flags,
        long address,
        long offset,
        long size,
        int link,
        int info,
        long addressAlignment,
        long entrySize) {
}
