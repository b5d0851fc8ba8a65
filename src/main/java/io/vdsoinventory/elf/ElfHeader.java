package io.vdsoinventory.elf;

import java.nio.ByteOrder;

/**
 * The ELF file header (Elf32_Ehdr / Elf64_Ehdr), widened to one view.
 *
 * @param elfClass EI_CLASS
 * @param byteOrder EI_DATA
 * @param osAbi EI_OSABI
 * @param type e_type
 * @param machine e_machine
 * @param entry e_entry
 * @param programHeaderOffset e_phoff
 * @param sectionHeaderOffset e_shoff
 * @param flags e_flags
 * @param headerSize e_ehsize
 * @param programHeaderEntrySize e_phentsize
 * @param programHeaderCount e_phnum
 * @param sectionHeaderEntrySize e_shentsize
 * @param sectionHeaderCount e_shnum
 * @param sectionNameTableIndex e_shstrndx
 */
public record ElfHeader(
        ElfClass elfClass,
        ByteOrder byteOrder,
        int osAbi,
        ElfType type,
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

    private static final String STRUCTURE = "ELF header";
    private static final int EI_NIDENT = 16;

    /** True for ELFCLASS64. */
    public boolean is64() {
        return elfClass == ElfClass.ELFCLASS64;
    }

    static ElfHeader read(byte[] bytes, ElfLimits limits) throws ElfFormatException {
        if (bytes.length < EI_NIDENT) {
            throw new ElfFormatException(STRUCTURE, 0, "input is " + bytes.length
                    + " bytes, shorter than the 16-byte ELF identification");
        }
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ElfFormatException(STRUCTURE, 0, String.format(
                    "not an ELF file: magic is %02x %02x %02x %02x, not 7f 45 4c 46",
                    bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        ElfClass elfClass;
        switch (bytes[4]) {
            case 1 -> elfClass = ElfClass.ELFCLASS32;
            case 2 -> elfClass = ElfClass.ELFCLASS64;
            default -> throw new ElfFormatException(STRUCTURE, 4, "EI_CLASS " + (bytes[4] & 0xff)
                    + " is neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
        }
        ByteOrder order;
        switch (bytes[5]) {
            case 1 -> order = ByteOrder.LITTLE_ENDIAN;
            case 2 -> order = ByteOrder.BIG_ENDIAN;
            default -> throw new ElfFormatException(STRUCTURE, 5, "EI_DATA " + (bytes[5] & 0xff)
                    + " is neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)");
        }
        boolean is64 = elfClass == ElfClass.ELFCLASS64;
        ByteReader in = new ByteReader(bytes, order, limits);
        in.require(0, is64 ? 64 : 52, STRUCTURE);
        int at = 24;
        long entry = in.word(at, is64, STRUCTURE);
        at += is64 ? 8 : 4;
        long phoff = ByteReader.nonNegative(in.word(at, is64, STRUCTURE), "e_phoff", STRUCTURE, at);
        at += is64 ? 8 : 4;
        long shoff = ByteReader.nonNegative(in.word(at, is64, STRUCTURE), "e_shoff", STRUCTURE, at);
        at += is64 ? 8 : 4;
        return new ElfHeader(elfClass, order, in.u8(7, STRUCTURE), new ElfType(in.u16(16, STRUCTURE)),
                new ElfMachine(in.u16(18, STRUCTURE)), entry, phoff, shoff, (int) in.u32(at, STRUCTURE),
                in.u16(at + 4, STRUCTURE), in.u16(at + 6, STRUCTURE), in.u16(at + 8, STRUCTURE),
                in.u16(at + 10, STRUCTURE), in.u16(at + 12, STRUCTURE), in.u16(at + 14, STRUCTURE));
    }
}
