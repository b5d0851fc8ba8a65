package io.vdsoinventory.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The dynamic symbols with names and versions, read from a {@link SymbolTableLayout}. Versions resolve as in
 * parse_vdso.c's vdso_match_version: versym & 0x7fff names a verdef entry by vd_ndx, the base entry (the file
 * itself) is skipped, and bit 15 is the hidden flag.
 */
record DynamicSymbols(List<ElfSymbol> symbols, List<VersionDefinition> definitions, OptionalInt sysvCount,
        OptionalInt gnuCount) {

    private static final int VERDEF_SIZE = 20;
    private static final int VERDAUX_SIZE = 8;
    private static final int VERSYM_HIDDEN = 0x8000;

    static DynamicSymbols none() {
        return new DynamicSymbols(List.of(), List.of(), OptionalInt.empty(), OptionalInt.empty());
    }

    static DynamicSymbols read(ByteReader in, SymbolTableLayout layout, ElfHeader header, ElfLimits limits,
            List<SectionHeader> sections) throws ElfFormatException {
        boolean is64 = header.is64();
        int sysvWord = header.machine().hasWideSysvHashWords(header.elfClass()) ? 8 : 4;
        OptionalInt sysv = layout.sysvHash().isPresent()
                ? OptionalInt.of(HashTables.sysvSymbolCount(in, layout.sysvHash().get(), sysvWord, limits))
                : OptionalInt.empty();
        OptionalInt gnu = layout.gnuHash().isPresent()
                ? OptionalInt.of(HashTables.gnuSymbolCount(in, layout.gnuHash().get(), is64, limits))
                : OptionalInt.empty();
        Region symbols = layout.symbols();
        long declared = layout.sectionSymbolCount().isPresent() ? layout.sectionSymbolCount().getAsLong()
                : sysv.isPresent() ? sysv.getAsInt() : gnu.orElse(0);
        int count = ByteReader.count(declared, limits.maxSymbols(), "symbol count", ".dynsym", symbols.offset());
        int symbolSize = SymbolTableLayout.symbolSize(is64);
        symbols.require(symbols.offset(), (long) count * symbolSize, ".dynsym", count + " symbols");
        List<VersionDefinition> definitions = layout.verdef().isPresent()
                ? readDefinitions(in, layout, limits) : List.of();
        Optional<Region> versym = layout.versym();
        if (versym.isPresent()) {
            versym.get().require(versym.get().offset(), 2L * count, "versym", count + " versym entries");
        }
        List<ElfSymbol> result = new ArrayList<>(Math.max(0, count - 1));
        for (int i = 1; i < count; i++) {
            long at = symbols.offset() + (long) i * symbolSize;
            String structure = ".dynsym entry " + i;
            long nameOffset = in.u32(at, structure);
            long value;
            long size;
            int info;
            int other;
            int section;
            if (is64) {
                info = in.u8(at + 4, structure);
                other = in.u8(at + 5, structure);
                section = in.u16(at + 6, structure);
                value = in.u64(at + 8, structure);
                size = in.u64(at + 16, structure);
            } else {
                value = in.u32(at + 4, structure);
                size = in.u32(at + 8, structure);
                info = in.u8(at + 12, structure);
                other = in.u8(at + 13, structure);
                section = in.u16(at + 14, structure);
            }
            String name = in.string(layout.strings().offset() + nameOffset, layout.strings().end(),
                    structure + " st_name");
            String version = null;
            boolean hidden = false;
            int versionIndex = ElfSymbol.NO_VERSYM;
            if (versym.isPresent()) {
                long versymAt = versym.get().offset() + 2L * i;
                int entry = in.u16(versymAt, "versym entry " + i);
                hidden = (entry & VERSYM_HIDDEN) != 0;
                versionIndex = entry & ~VERSYM_HIDDEN;
                version = versionName(versionIndex, definitions, layout.hasVersionNeeds(), i, versymAt);
            }
            SymbolType type = new SymbolType(info & 0xf);
            result.add(new ElfSymbol(i, name, value, size, type, new SymbolBinding(info >>> 4),
                    new SymbolVisibility(other & 0x3), section, version, hidden, versionIndex,
                    displayName(name, nameOffset, type, section, sections)));
        }
        return new DynamicSymbols(List.copyOf(result), definitions, sysv, gnu);
    }

    /**
     * binutils' bfd_elf_sym_name and readelf: an STT_SECTION symbol with st_name 0 is shown under the name of the
     * section st_shndx names, when the image has a section header by that index; otherwise under its own name.
     */
    private static String displayName(String name, long nameOffset, SymbolType type, int section,
            List<SectionHeader> sections) {
        if (nameOffset != 0 || !type.equals(SymbolType.STT_SECTION)) {
            return name;
        }
        for (SectionHeader header : sections) {
            if (header.index() == section) {
                return header.name();
            }
        }
        return name;
    }

    /** null for versym 0 (local) and 1 (global, the base version). */
    private static String versionName(int index, List<VersionDefinition> definitions, boolean hasVersionNeeds,
            int symbol, long versymAt) throws ElfFormatException {
        if (index <= 1) {
            return null;
        }
        for (VersionDefinition definition : definitions) {
            if (!definition.isBase() && definition.versionIndex() == index) {
                return definition.name();
            }
        }
        if (hasVersionNeeds) {
            // A needed version (verneed), i.e. an undefined symbol's: not part of what this reader resolves.
            return null;
        }
        throw new ElfFormatException("versym entry " + symbol, versymAt, "version index " + index
                + " is not defined by any version definition");
    }

    /**
     * The verdef chain. Each entry must advance by at least its own size (vd_next 0 ends the chain), so the walk
     * cannot loop and ends within the region; the declared count (sh_info / DT_VERDEFNUM) is capped and enforced.
     */
    private static List<VersionDefinition> readDefinitions(ByteReader in, SymbolTableLayout layout, ElfLimits limits)
            throws ElfFormatException {
        Region region = layout.verdef().orElseThrow();
        Region strings = layout.strings();
        int declared = -1;
        if (layout.verdefCount().isPresent()) {
            declared = ByteReader.count(layout.verdefCount().getAsLong(), limits.maxVersionDefinitions(),
                    "version definition count", "verdef", region.offset());
        }
        List<VersionDefinition> definitions = new ArrayList<>();
        // Entries may share verdaux chains, so the names are capped in all, not per entry.
        int namesLeft = limits.maxVersionDefinitions();
        long at = region.offset();
        while (definitions.size() != declared) {
            String structure = "version definition " + definitions.size();
            if (definitions.size() == limits.maxVersionDefinitions()) {
                throw new ElfFormatException(structure, at, "more than the limit of "
                        + limits.maxVersionDefinitions() + " version definitions");
            }
            region.require(at, VERDEF_SIZE, structure, "Elf_Verdef");
            int revision = in.u16(at, structure);
            int flags = in.u16(at + 2, structure);
            int versionIndex = in.u16(at + 4, structure);
            int auxCount = in.u16(at + 6, structure);
            long hash = in.u32(at + 8, structure);
            long aux = in.u32(at + 12, structure);
            long next = in.u32(at + 16, structure);
            if (auxCount > namesLeft) {
                throw new ElfFormatException(structure, at, "vd_cnt " + auxCount + " exceeds the limit of "
                        + limits.maxVersionDefinitions() + " version names in all");
            }
            namesLeft -= auxCount;
            List<String> names = readNames(in, region, strings, at, aux, auxCount, structure);
            definitions.add(new VersionDefinition(at, revision, flags, versionIndex, hash, names.get(0),
                    names.subList(1, names.size())));
            if (next == 0) {
                if (declared > 0 && definitions.size() < declared) {
                    throw new ElfFormatException(structure, at, "vd_next 0 ends the chain after "
                            + definitions.size() + " of " + declared + " version definitions");
                }
                break;
            }
            if (next < VERDEF_SIZE) {
                throw new ElfFormatException(structure, at, "vd_next " + next
                        + " does not advance past the 20-byte entry");
            }
            if (!region.contains(at + next, VERDEF_SIZE)) {
                throw new ElfFormatException(structure, at, "vd_next 0x" + Long.toHexString(next)
                        + " leads outside the version definitions (end 0x" + Long.toHexString(region.end()) + ")");
            }
            at += next;
        }
        return List.copyOf(definitions);
    }

    private static List<String> readNames(ByteReader in, Region region, Region strings, long verdefAt, long aux,
            int count, String structure) throws ElfFormatException {
        if (count == 0) {
            throw new ElfFormatException(structure, verdefAt, "vd_cnt 0: the version has no name");
        }
        List<String> names = new ArrayList<>(count);
        long at = verdefAt + aux;
        for (int k = 0; k < count; k++) {
            String what = structure + " verdaux " + k;
            region.require(at, VERDAUX_SIZE, what, "Elf_Verdaux");
            long name = in.u32(at, what);
            long next = in.u32(at + 4, what);
            names.add(in.string(strings.offset() + name, strings.end(), what + " vda_name"));
            if (k + 1 < count) {
                if (next < VERDAUX_SIZE) {
                    throw new ElfFormatException(what, at, "vda_next " + next
                            + " does not advance past the 8-byte entry");
                }
                at += next;
            }
        }
        return names;
    }
}
