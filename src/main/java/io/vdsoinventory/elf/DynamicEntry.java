package io.vdsoinventory.elf;

/**
 * One entry of the dynamic table (Elf32_Dyn / Elf64_Dyn).
 *
 * @param index position in the table
 * @param tag d_tag
 * @param value d_un (d_val or d_ptr: a virtual address for DT_STRTAB, DT_SYMTAB, DT_HASH, ...)
 */
public record DynamicEntry(int index, DynamicTag tag, long value) {
}
