package io.vdsoinventory.elf;

/** One program header (Elf32_Phdr / Elf64_Phdr). Skeleton: ProgramType is an open value type with PT_* constants. */
public record ProgramHeader(
        int index,
        long type,
        int flags,
        long offset,
        long virtualAddress,
        long physicalAddress,
        long fileSize,
        long memorySize,
        long alignment) {
}
