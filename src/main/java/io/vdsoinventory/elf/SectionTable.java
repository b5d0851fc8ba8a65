package io.vdsoinventory.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The section header table with names resolved. Sections are optional in a vDSO: any inconsistency makes the whole
 * table unusable (an {@link ElfFormatException} the facade keeps as {@code sectionProblem}), never the image.
 */
final class SectionTable {

    private static final int SHN_XINDEX = 0xffff;

    private final List<SectionHeader> sections;

    private SectionTable(List<SectionHeader> sections) {
        this.sections = sections;
    }

    static SectionTable empty() {
        return new SectionTable(List.of());
    }

    List<SectionHeader> sections() {
        return sections;
    }

    Optional<SectionHeader> byName(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The only section of this type, if any; two of them make the table ambiguous. */
    Optional<SectionHeader> onlyOfType(SectionType type) throws ElfFormatException {
        List<SectionHeader> matches = sections.stream().filter(s -> s.type().equals(type)).toList();
        if (matches.size() > 1) {
            SectionHeader second = matches.get(1);
            throw new ElfFormatException("section header " + second.index(), second.offset(),
                    "a second " + type.name() + " section (" + second.name() + ")");
        }
        return matches.stream().findFirst();
    }

    SectionHeader linked(SectionHeader from, SectionType expected) throws ElfFormatException {
        SectionHeader target = sections.get(from.link());
        if (!target.type().equals(expected)) {
            throw new ElfFormatException("section header " + from.index(), from.offset(), from.name()
                    + " sh_link " + from.link() + " names " + target.type().name() + ", not " + expected.name());
        }
        return target;
    }

    static SectionTable read(ByteReader in, ElfHeader header, ElfLimits limits) throws ElfFormatException {
        long tableOffset = header.sectionHeaderOffset();
        int count = header.sectionHeaderCount();
        String structure = "section header table";
        if (count == 0) {
            if (tableOffset != 0) {
                throw new ElfFormatException(structure, tableOffset,
                        "e_shnum 0 with e_shoff set: extended section numbering is not supported");
            }
            return empty();
        }
        int entrySize = header.is64() ? 64 : 40;
        if (header.sectionHeaderEntrySize() < entrySize) {
            throw new ElfFormatException(structure, tableOffset, "e_shentsize " + header.sectionHeaderEntrySize()
                    + " is smaller than an " + (header.is64() ? "Elf64_Shdr" : "Elf32_Shdr") + " (" + entrySize + ")");
        }
        ByteReader.count(count, limits.maxSections(), "e_shnum", structure, tableOffset);
        in.require(tableOffset, (long) count * header.sectionHeaderEntrySize(), structure);
        int nameTable = header.sectionNameTableIndex();
        if (nameTable == 0 || nameTable == SHN_XINDEX || nameTable >= count) {
            throw new ElfFormatException(structure, tableOffset, "e_shstrndx " + nameTable
                    + " does not name one of the " + count + " sections");
        }
        List<Unnamed> raw = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            raw.add(readUnnamed(in, header.is64(), i, entryOffset(header, i), count));
        }
        SectionHeader names = raw.get(nameTable).header();
        if (!names.type().equals(SectionType.SHT_STRTAB)) {
            throw new ElfFormatException("section header " + nameTable, entryOffset(header, nameTable),
                    "e_shstrndx names a section of type " + names.type().name() + ", not SHT_STRTAB");
        }
        List<SectionHeader> sections = new ArrayList<>(count);
        for (Unnamed unnamed : raw) {
            SectionHeader h = unnamed.header();
            String name = in.string(ByteReader.add(names.offset(), unnamed.nameOffset(), "section header "
                    + h.index(), entryOffset(header, h.index())), names.offset() + names.size(),
                    "section header " + h.index() + " sh_name");
            sections.add(new SectionHeader(h.index(), name, h.type(), h.flags(), h.address(), h.offset(), h.size(),
                    h.link(), h.info(), h.addressAlignment(), h.entrySize()));
        }
        return new SectionTable(List.copyOf(sections));
    }

    /** A section header whose sh_name is not resolved yet. */
    private record Unnamed(long nameOffset, SectionHeader header) {
    }

    private static long entryOffset(ElfHeader header, int index) {
        return header.sectionHeaderOffset() + (long) index * header.sectionHeaderEntrySize();
    }

    private static Unnamed readUnnamed(ByteReader in, boolean is64, int index, long at, int count)
            throws ElfFormatException {
        String structure = "section header " + index;
        int w = is64 ? 8 : 4;
        long name = in.u32(at, structure);
        SectionType type = new SectionType(in.u32(at + 4, structure));
        long flags = in.word(at + 8, is64, structure);
        long address = in.word(at + 8 + w, is64, structure);
        long offset = ByteReader.nonNegative(in.word(at + 8 + 2 * w, is64, structure), "sh_offset", structure, at);
        long size = ByteReader.nonNegative(in.word(at + 8 + 3 * w, is64, structure), "sh_size", structure, at);
        long link = in.u32(at + 8 + 4 * w, structure);
        long info = in.u32(at + 12 + 4 * w, structure);
        long alignment = in.word(at + 16 + 4 * w, is64, structure);
        long entrySize = in.word(at + 16 + 5 * w, is64, structure);
        if (link >= count) {
            throw new ElfFormatException(structure, at, "sh_link " + link + " is not a section index (e_shnum "
                    + count + ")");
        }
        SectionHeader header = new SectionHeader(index, "", type, flags, address, offset, size, (int) link,
                (int) info, alignment, entrySize);
        if (header.hasFileData()) {
            in.require(offset, size, structure + " file data");
        }
        return new Unnamed(name, header);
    }
}
