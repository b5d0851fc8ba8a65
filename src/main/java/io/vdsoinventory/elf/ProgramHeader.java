package io.vdsoinventory.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * One program header (Elf32_Phdr / Elf64_Phdr), widened to one view.
 *
 * @param index position in the program header table
 * @param type p_type
 * @param flags p_flags ({@link #PF_R}, {@link #PF_W}, {@link #PF_X})
 * @param offset p_offset
 * @param virtualAddress p_vaddr
 * @param physicalAddress p_paddr
 * @param fileSize p_filesz
 * @param memorySize p_memsz
 * @param alignment p_align
 */
public record ProgramHeader(
        int index,
        ProgramType type,
        int flags,
        long offset,
        long virtualAddress,
        long physicalAddress,
        long fileSize,
        long memorySize,
        long alignment) {

    public static final int PF_X = 0x1;
    public static final int PF_W = 0x2;
    public static final int PF_R = 0x4;

    public boolean isReadable() {
        return (flags & PF_R) != 0;
    }

    public boolean isWritable() {
        return (flags & PF_W) != 0;
    }

    public boolean isExecutable() {
        return (flags & PF_X) != 0;
    }

    /** Whether {@code address} lies in this segment's file-backed bytes. */
    boolean mapsInFile(long address) {
        return Long.compareUnsigned(address, virtualAddress) >= 0
                && Long.compareUnsigned(address - virtualAddress, fileSize) < 0;
    }

    static List<ProgramHeader> readAll(ByteReader in, ElfHeader header, ElfLimits limits)
            throws ElfFormatException {
        int count = header.programHeaderCount();
        if (count == 0) {
            return List.of();
        }
        long tableOffset = header.programHeaderOffset();
        String structure = "program header table";
        int entrySize = header.is64() ? 56 : 32;
        if (header.programHeaderEntrySize() < entrySize) {
            throw new ElfFormatException(structure, tableOffset, "e_phentsize " + header.programHeaderEntrySize()
                    + " is smaller than an " + (header.is64() ? "Elf64_Phdr" : "Elf32_Phdr") + " (" + entrySize + ")");
        }
        ByteReader.count(count, limits.maxProgramHeaders(), "e_phnum", structure, tableOffset);
        in.require(tableOffset, (long) count * header.programHeaderEntrySize(), structure);
        List<ProgramHeader> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(read(in, header.is64(), i, tableOffset + (long) i * header.programHeaderEntrySize()));
        }
        return List.copyOf(headers);
    }

    private static ProgramHeader read(ByteReader in, boolean is64, int index, long at) throws ElfFormatException {
        String structure = "program header " + index;
        ProgramType type = new ProgramType(in.u32(at, structure));
        ProgramHeader header;
        if (is64) {
            header = new ProgramHeader(index, type, (int) in.u32(at + 4, structure), in.u64(at + 8, structure),
                    in.u64(at + 16, structure), in.u64(at + 24, structure), in.u64(at + 32, structure),
                    in.u64(at + 40, structure), in.u64(at + 48, structure));
        } else {
            header = new ProgramHeader(index, type, (int) in.u32(at + 24, structure), in.u32(at + 4, structure),
                    in.u32(at + 8, structure), in.u32(at + 12, structure), in.u32(at + 16, structure),
                    in.u32(at + 20, structure), in.u32(at + 28, structure));
        }
        if (type.equals(ProgramType.PT_LOAD) || type.equals(ProgramType.PT_DYNAMIC)
                || type.equals(ProgramType.PT_NOTE)) {
            // The segments this reader follows must have their file bytes in the input.
            ByteReader.nonNegative(header.offset, "p_offset", structure, at);
            ByteReader.nonNegative(header.fileSize, "p_filesz", structure, at);
            in.require(header.offset, header.fileSize, structure + " (" + type.name() + " file data)");
        }
        return header;
    }
}
