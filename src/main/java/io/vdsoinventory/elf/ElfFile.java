package io.vdsoinventory.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A parsed, validated ELF image, read from untrusted bytes. Everything is read and checked once, in
 * {@link #parse(byte[], ElfLimits)}: a malformed image fails there with one {@link ElfFormatException}, and the
 * accessors of a parsed file never fail. A table the image does not have is empty, not an error.
 *
 * <p>Section headers are optional, as for the kernel's own vDSO parser (tools/testing/selftests/vDSO/parse_vdso.c):
 * when they are sane, .dynsym and its companions come from them (checked against PT_DYNAMIC); when they are missing
 * or damaged ({@link #sectionProblem()} says why) the dynamic table is followed through PT_LOAD, and the symbol count
 * comes from the hash tables.
 */
public final class ElfFile {

    private final byte[] bytes;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final SectionTable sections;
    private final Optional<ElfFormatException> sectionProblem;
    private final LoadMap loads;
    private final DynamicTable dynamic;
    private final DynamicSymbols symbols;
    private final Optional<String> soname;
    private final List<ElfNote> notes;
    private final long fileExtent;

    private ElfFile(byte[] bytes, ElfLimits limits) throws ElfFormatException {
        this.bytes = bytes;
        this.header = ElfHeader.read(bytes, limits);
        ByteReader in = new ByteReader(bytes, header.byteOrder(), limits);
        this.programHeaders = ProgramHeader.readAll(in, header, limits);
        this.loads = new LoadMap(programHeaders);
        SectionTable table;
        ElfFormatException problem = null;
        try {
            table = SectionTable.read(in, header, limits);
        } catch (ElfFormatException unusable) {
            table = SectionTable.empty();
            problem = unusable;
        }
        this.dynamic = readDynamic(in, table, limits);
        Optional<SymbolTableLayout> layout = Optional.empty();
        try {
            layout = SymbolTableLayout.fromSections(table, dynamic, loads, header.is64());
        } catch (ElfFormatException inconsistent) {
            table = SectionTable.empty();
            problem = inconsistent;
        }
        if (layout.isEmpty()) {
            layout = SymbolTableLayout.fromDynamic(dynamic, loads, header.is64());
        }
        this.sections = table;
        this.sectionProblem = Optional.ofNullable(problem);
        this.symbols = layout.isPresent() ? DynamicSymbols.read(in, layout.get(), header, limits,
                table.sections())
                : DynamicSymbols.none();
        this.soname = readSoname(in, layout);
        this.notes = readNotes(in, limits);
        this.fileExtent = extent();
    }

    /** Parses with {@link ElfLimits#DEFAULT}. */
    public static ElfFile parse(byte[] bytes) throws ElfFormatException {
        return parse(bytes, ElfLimits.DEFAULT);
    }

    /** Parses a copy of {@code bytes}: a whole ELF file, or a dump of a mapping that starts with the ELF header. */
    public static ElfFile parse(byte[] bytes, ElfLimits limits) throws ElfFormatException {
        if (bytes.length > limits.maxInputSize()) {
            throw new ElfFormatException("input", 0, bytes.length + " bytes exceed the limit of "
                    + limits.maxInputSize());
        }
        return new ElfFile(bytes.clone(), limits);
    }

    public ElfHeader header() {
        return header;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** The section headers; empty when the image has none or they are unusable (see {@link #sectionProblem()}). */
    public List<SectionHeader> sections() {
        return sections.sections();
    }

    /** The first section with this name, when section headers are usable. */
    public Optional<SectionHeader> section(String name) {
        return sections.byName(name);
    }

    /** Why the section headers were ignored, if they were. */
    public Optional<ElfFormatException> sectionProblem() {
        return sectionProblem;
    }

    /** The dynamic table up to and including DT_NULL (PT_DYNAMIC, else the SHT_DYNAMIC section). */
    public List<DynamicEntry> dynamicEntries() {
        return dynamic.entries();
    }

    /** .dynsym entries without the null entry 0; each keeps its .dynsym index. */
    public List<ElfSymbol> dynamicSymbols() {
        return symbols.symbols();
    }

    /** All version definitions in file order, the base entry (the file itself) included. */
    public List<VersionDefinition> versionDefinitions() {
        return symbols.definitions();
    }

    /** Version definition names, without the base (file name) entry. */
    public List<String> versionNames() {
        return symbols.definitions().stream().filter(d -> !d.isBase()).map(VersionDefinition::name).toList();
    }

    /** DT_SONAME, when the dynamic table has one. */
    public Optional<String> soname() {
        return soname;
    }

    /** The notes of the PT_NOTE segments, or of the SHT_NOTE sections when there is no PT_NOTE. */
    public List<ElfNote> notes() {
        return notes;
    }

    /** NT_GNU_BUILD_ID as lower-case hex. */
    public Optional<String> buildId() {
        return notes.stream().filter(n -> n.is("GNU", ElfNote.NT_GNU_BUILD_ID)).findFirst()
                .map(ElfNote::descriptorHex);
    }

    /**
     * Where the ELF ends inside the input: the end of the section header table or of the last PT_LOAD's file data,
     * whichever is further (the ELF and program headers count as well). Bytes after it in a dumped mapping are
     * padding.
     */
    public long fileExtent() {
        return fileExtent;
    }

    /** A copy of a section's bytes (empty for SHT_NOBITS and SHT_NULL). */
    public byte[] contents(SectionHeader section) {
        if (!sections.sections().contains(section)) {
            throw new IllegalArgumentException("section " + section.index() + " " + section.name()
                    + " is not a section of this file");
        }
        if (!section.hasFileData()) {
            return new byte[0];
        }
        return Arrays.copyOfRange(bytes, (int) section.offset(), (int) (section.offset() + section.size()));
    }

    /** The file offset a virtual address is loaded from, when a PT_LOAD maps it from the file. */
    public OptionalLong fileOffsetOf(long virtualAddress) {
        return loads.fileOffsetOf(virtualAddress);
    }

    /** The symbol count the SysV hash table implies (its nchain), when there is one. */
    public OptionalInt sysvHashSymbolCount() {
        return symbols.sysvCount();
    }

    /** The symbol count the GNU hash table implies, when there is one. */
    public OptionalInt gnuHashSymbolCount() {
        return symbols.gnuCount();
    }

    /** The input's length in bytes. */
    public int size() {
        return bytes.length;
    }

    private DynamicTable readDynamic(ByteReader in, SectionTable table, ElfLimits limits) throws ElfFormatException {
        List<ProgramHeader> segments = programHeaders.stream()
                .filter(p -> p.type().equals(ProgramType.PT_DYNAMIC)).toList();
        if (segments.size() > 1) {
            ProgramHeader second = segments.get(1);
            throw new ElfFormatException("program header " + second.index(), programHeaderOffset(second),
                    "a second PT_DYNAMIC segment");
        }
        if (!segments.isEmpty()) {
            ProgramHeader segment = segments.get(0);
            return DynamicTable.read(in, new Region(segment.offset(), segment.fileSize()), header.is64(), limits);
        }
        Optional<SectionHeader> section = table.onlyOfType(SectionType.SHT_DYNAMIC);
        if (section.isPresent()) {
            return DynamicTable.read(in, new Region(section.get().offset(), section.get().size()), header.is64(),
                    limits);
        }
        return DynamicTable.empty();
    }

    private Optional<String> readSoname(ByteReader in, Optional<SymbolTableLayout> layout)
            throws ElfFormatException {
        Optional<DynamicEntry> entry = dynamic.find(DynamicTag.DT_SONAME);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        long at = dynamic.offsetOf(entry.get());
        String structure = "dynamic entry " + entry.get().index() + " (DT_SONAME)";
        Region strings;
        if (layout.isPresent()) {
            strings = layout.get().strings();
        } else {
            DynamicEntry strtab = dynamic.find(DynamicTag.DT_STRTAB).orElseThrow(() -> new ElfFormatException(
                    structure, at, "DT_SONAME without DT_STRTAB"));
            strings = loads.regionAt(strtab.value(), structure, at);
        }
        long offset = ByteReader.add(strings.offset(), ByteReader.nonNegative(entry.get().value(), "d_val",
                structure, at), structure, at);
        return Optional.of(in.string(offset, strings.end(), structure));
    }

    private List<ElfNote> readNotes(ByteReader in, ElfLimits limits) throws ElfFormatException {
        List<ElfNote> found = new ArrayList<>();
        List<ProgramHeader> segments = programHeaders.stream()
                .filter(p -> p.type().equals(ProgramType.PT_NOTE)).toList();
        if (!segments.isEmpty()) {
            for (ProgramHeader segment : segments) {
                found.addAll(ElfNote.read(in, new Region(segment.offset(), segment.fileSize()),
                        noteAlignment(segment.alignment()), limits, "PT_NOTE segment " + segment.index()));
                checkNoteCount(found, limits, segment.offset());
            }
        } else {
            for (SectionHeader section : sections.sections()) {
                if (section.type().equals(SectionType.SHT_NOTE)) {
                    found.addAll(ElfNote.read(in, new Region(section.offset(), section.size()),
                            noteAlignment(section.addressAlignment()), limits, "section " + section.name()));
                    checkNoteCount(found, limits, section.offset());
                }
            }
        }
        return List.copyOf(found);
    }

    /** Notes are 4-byte aligned, except in segments/sections aligned to 8 (NT_GNU_PROPERTY_TYPE_0 in ELF64). */
    private static int noteAlignment(long alignment) {
        return alignment == 8 ? 8 : 4;
    }

    private static void checkNoteCount(List<ElfNote> found, ElfLimits limits, long offset)
            throws ElfFormatException {
        if (found.size() > limits.maxNotes()) {
            throw new ElfFormatException("notes", offset, "more than the limit of " + limits.maxNotes() + " notes");
        }
    }

    private long programHeaderOffset(ProgramHeader programHeader) {
        return header.programHeaderOffset() + (long) programHeader.index() * header.programHeaderEntrySize();
    }

    private long extent() {
        long end = Math.max(header.is64() ? 64 : 52, loads.fileEnd());
        if (!programHeaders.isEmpty()) {
            end = Math.max(end, programHeaderOffset(programHeaders.get(programHeaders.size() - 1))
                    + header.programHeaderEntrySize());
        }
        long tableOffset = header.sectionHeaderOffset();
        long tableSize = (long) header.sectionHeaderCount() * header.sectionHeaderEntrySize();
        if (tableSize > 0 && tableOffset <= bytes.length && tableSize <= bytes.length - tableOffset) {
            end = Math.max(end, tableOffset + tableSize);
        }
        return Math.min(end, bytes.length);
    }
}
