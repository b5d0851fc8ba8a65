package io.vdsoinventory.elf;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the dynamic symbol table and its companions lie in the file, found either through sane section headers
 * (.dynsym and the sections it links to) or, like the kernel's parse_vdso.c, through the dynamic table: DT_SYMTAB,
 * DT_STRTAB and DT_HASH or DT_GNU_HASH are required; DT_VERSYM counts only together with DT_VERDEF.
 *
 * @param symbols the symbol table bytes (up to the end of its segment on the dynamic path)
 * @param sectionSymbolCount entries per .dynsym's sh_size, or empty on the dynamic path (the hash tables tell)
 * @param strings the dynamic string table
 * @param versym versym entries, only when there are version definitions
 * @param verdef version definitions
 * @param verdefCount their number (sh_info / DT_VERDEFNUM), or empty: walk to vd_next 0
 * @param sysvHash DT_HASH / SHT_HASH
 * @param gnuHash DT_GNU_HASH / SHT_GNU_HASH
 * @param hasVersionNeeds whether verneed exists, so versym indexes may name versions verdef does not define
 */
record SymbolTableLayout(Region symbols, OptionalLong sectionSymbolCount, Region strings, Optional<Region> versym,
        Optional<Region> verdef, OptionalLong verdefCount, Optional<Region> sysvHash, Optional<Region> gnuHash,
        boolean hasVersionNeeds) {

    static int symbolSize(boolean is64) {
        return is64 ? 24 : 16;
    }

    /** The layout the section headers describe, checked against the dynamic table when there is one. */
    static Optional<SymbolTableLayout> fromSections(SectionTable table, DynamicTable dynamic, LoadMap loads,
            boolean is64) throws ElfFormatException {
        Optional<SectionHeader> found = table.onlyOfType(SectionType.SHT_DYNSYM);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SectionHeader dynsym = found.get();
        int symbolSize = symbolSize(is64);
        if (dynsym.entrySize() != symbolSize || dynsym.size() % symbolSize != 0) {
            throw problem(dynsym, "sh_entsize " + dynsym.entrySize() + " and sh_size " + dynsym.size()
                    + " do not describe " + symbolSize + "-byte symbols");
        }
        SectionHeader strings = table.linked(dynsym, SectionType.SHT_STRTAB);
        Optional<SectionHeader> verdef = table.onlyOfType(SectionType.SHT_GNU_verdef);
        if (verdef.isPresent() && verdef.get().link() != strings.index()) {
            throw problem(verdef.get(), "sh_link " + verdef.get().link() + " is not .dynsym's string table "
                    + strings.index());
        }
        Optional<SectionHeader> versym = table.onlyOfType(SectionType.SHT_GNU_versym);
        if (versym.isPresent() && (versym.get().link() != dynsym.index()
                || versym.get().size() < dynsym.size() / symbolSize * 2)) {
            throw problem(versym.get(), "does not hold one 2-byte entry per symbol of section " + dynsym.index());
        }
        Optional<SectionHeader> sysvHash = linkedTo(table.onlyOfType(SectionType.SHT_HASH), dynsym);
        Optional<SectionHeader> gnuHash = linkedTo(table.onlyOfType(SectionType.SHT_GNU_HASH), dynsym);
        if (!dynamic.isEmpty()) {
            agree(dynamic, DynamicTag.DT_SYMTAB, Optional.of(dynsym), loads);
            agree(dynamic, DynamicTag.DT_STRTAB, Optional.of(strings), loads);
            agree(dynamic, DynamicTag.DT_HASH, sysvHash, loads);
            agree(dynamic, DynamicTag.DT_GNU_HASH, gnuHash, loads);
            agree(dynamic, DynamicTag.DT_VERDEF, verdef, loads);
            agree(dynamic, DynamicTag.DT_VERSYM, versym, loads);
        }
        return Optional.of(new SymbolTableLayout(region(dynsym), OptionalLong.of(dynsym.size() / symbolSize),
                region(strings), verdef.isPresent() ? versym.map(SymbolTableLayout::region) : Optional.empty(),
                verdef.map(SymbolTableLayout::region), verdef.map(v -> OptionalLong.of(
                        Integer.toUnsignedLong(v.info()))).orElse(OptionalLong.empty()),
                sysvHash.map(SymbolTableLayout::region), gnuHash.map(SymbolTableLayout::region),
                table.onlyOfType(SectionType.SHT_GNU_verneed).isPresent()));
    }

    /** The layout the dynamic table describes (parse_vdso.c's path); empty without DT_SYMTAB. */
    static Optional<SymbolTableLayout> fromDynamic(DynamicTable dynamic, LoadMap loads, boolean is64)
            throws ElfFormatException {
        Optional<DynamicEntry> symtab = dynamic.find(DynamicTag.DT_SYMTAB);
        if (symtab.isEmpty()) {
            return Optional.empty();
        }
        long symtabOffset = dynamic.offsetOf(symtab.get());
        DynamicEntry strtab = dynamic.find(DynamicTag.DT_STRTAB).orElseThrow(() -> new ElfFormatException(
                "dynamic table", symtabOffset, "DT_SYMTAB without DT_STRTAB: symbol names cannot be read"));
        Optional<DynamicEntry> hash = dynamic.find(DynamicTag.DT_HASH);
        Optional<DynamicEntry> gnuHash = dynamic.find(DynamicTag.DT_GNU_HASH);
        if (hash.isEmpty() && gnuHash.isEmpty()) {
            throw new ElfFormatException("dynamic table", symtabOffset,
                    "DT_SYMTAB without DT_HASH or DT_GNU_HASH: the symbol count is unknown");
        }
        Optional<DynamicEntry> syment = dynamic.find(DynamicTag.DT_SYMENT);
        if (syment.isPresent() && syment.get().value() != symbolSize(is64)) {
            throw new ElfFormatException("dynamic table", dynamic.offsetOf(syment.get()), "DT_SYMENT "
                    + Long.toUnsignedString(syment.get().value()) + " is not the symbol size " + symbolSize(is64));
        }
        Region strings = mapped(dynamic, strtab, loads);
        Optional<DynamicEntry> strsz = dynamic.find(DynamicTag.DT_STRSZ);
        if (strsz.isPresent()) {
            strings.require(strings.offset(), strsz.get().value(), "DT_STRSZ", "DT_STRSZ "
                    + Long.toUnsignedString(strsz.get().value()));
            strings = new Region(strings.offset(), strsz.get().value());
        }
        Optional<DynamicEntry> verdef = dynamic.find(DynamicTag.DT_VERDEF);
        Optional<Region> versym = Optional.empty();
        Optional<Region> verdefRegion = Optional.empty();
        if (verdef.isPresent()) {
            verdefRegion = Optional.of(mapped(dynamic, verdef.get(), loads));
            Optional<DynamicEntry> versymEntry = dynamic.find(DynamicTag.DT_VERSYM);
            if (versymEntry.isPresent()) {
                versym = Optional.of(mapped(dynamic, versymEntry.get(), loads));
            }
        }
        Optional<DynamicEntry> verdefNum = dynamic.find(DynamicTag.DT_VERDEFNUM);
        return Optional.of(new SymbolTableLayout(mapped(dynamic, symtab.get(), loads), OptionalLong.empty(),
                strings, versym, verdefRegion,
                verdefNum.isPresent() ? OptionalLong.of(verdefNum.get().value()) : OptionalLong.empty(),
                hash.isPresent() ? Optional.of(mapped(dynamic, hash.get(), loads)) : Optional.empty(),
                gnuHash.isPresent() ? Optional.of(mapped(dynamic, gnuHash.get(), loads)) : Optional.empty(),
                dynamic.find(DynamicTag.DT_VERNEED).isPresent()));
    }

    private static Region mapped(DynamicTable dynamic, DynamicEntry entry, LoadMap loads)
            throws ElfFormatException {
        return loads.regionAt(entry.value(), "dynamic entry " + entry.index() + " (" + entry.tag().name() + ")",
                dynamic.offsetOf(entry));
    }

    private static Region region(SectionHeader section) {
        return new Region(section.offset(), section.size());
    }

    private static Optional<SectionHeader> linkedTo(Optional<SectionHeader> hash, SectionHeader dynsym)
            throws ElfFormatException {
        if (hash.isPresent() && hash.get().link() != dynsym.index()) {
            throw problem(hash.get(), "sh_link " + hash.get().link() + " is not .dynsym (" + dynsym.index() + ")");
        }
        return hash;
    }

    /**
     * A section and the dynamic entry for the same table must both exist or both be absent, at one address that
     * PT_LOAD maps to the section's file offset: otherwise sections and loader would read different tables.
     */
    private static void agree(DynamicTable dynamic, DynamicTag tag, Optional<SectionHeader> section, LoadMap loads)
            throws ElfFormatException {
        Optional<DynamicEntry> entry = dynamic.find(tag);
        if (entry.isEmpty() && section.isEmpty()) {
            return;
        }
        if (entry.isEmpty()) {
            throw problem(section.get(), "has no " + tag.name() + " in the dynamic table");
        }
        long entryOffset = dynamic.offsetOf(entry.get());
        if (section.isEmpty()) {
            throw new ElfFormatException("dynamic entry " + entry.get().index(), entryOffset, tag.name()
                    + " has no matching section");
        }
        SectionHeader s = section.get();
        if (entry.get().value() != s.address()) {
            throw new ElfFormatException("dynamic entry " + entry.get().index(), entryOffset, tag.name() + " 0x"
                    + Long.toHexString(entry.get().value()) + " disagrees with " + s.name() + " sh_addr 0x"
                    + Long.toHexString(s.address()));
        }
        OptionalLong mapped = loads.fileOffsetOf(s.address());
        if (mapped.isEmpty() || mapped.getAsLong() != s.offset()) {
            throw problem(s, "sh_addr 0x" + Long.toHexString(s.address()) + " is not loaded from its sh_offset 0x"
                    + Long.toHexString(s.offset()));
        }
    }

    private static ElfFormatException problem(SectionHeader section, String reason) {
        return new ElfFormatException("section " + section.index() + " " + section.name(),
                section.offset(), reason);
    }
}
