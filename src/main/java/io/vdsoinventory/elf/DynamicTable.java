package io.vdsoinventory.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dynamic table (PT_DYNAMIC, else the SHT_DYNAMIC section), read up to and including DT_NULL, or to the end of
 * its bytes when DT_NULL is missing. The tags this reader interprets may appear once: a second DT_SYMTAB would let
 * two readers see two different symbol tables.
 */
final class DynamicTable {

    private static final Set<DynamicTag> SINGLE = Set.of(DynamicTag.DT_HASH, DynamicTag.DT_GNU_HASH,
            DynamicTag.DT_STRTAB, DynamicTag.DT_SYMTAB, DynamicTag.DT_STRSZ, DynamicTag.DT_SYMENT,
            DynamicTag.DT_SONAME, DynamicTag.DT_VERSYM, DynamicTag.DT_VERDEF, DynamicTag.DT_VERDEFNUM,
            DynamicTag.DT_VERNEED);

    private final List<DynamicEntry> entries;
    private final long tableOffset;
    private final int entrySize;

    private DynamicTable(List<DynamicEntry> entries, long tableOffset, int entrySize) {
        this.entries = entries;
        this.tableOffset = tableOffset;
        this.entrySize = entrySize;
    }

    static DynamicTable empty() {
        return new DynamicTable(List.of(), 0, 0);
    }

    static DynamicTable read(ByteReader in, Region region, boolean is64, ElfLimits limits)
            throws ElfFormatException {
        int entrySize = is64 ? 16 : 8;
        List<DynamicEntry> entries = new ArrayList<>();
        for (long at = region.offset(); at <= region.end() - entrySize; at += entrySize) {
            String structure = "dynamic entry " + entries.size();
            if (entries.size() == limits.maxDynamicEntries()) {
                throw new ElfFormatException(structure, at, "more than the limit of " + limits.maxDynamicEntries()
                        + " dynamic entries before DT_NULL");
            }
            DynamicTag tag = new DynamicTag(in.word(at, is64, structure));
            long value = in.word(at + entrySize / 2, is64, structure);
            if (SINGLE.contains(tag)) {
                for (DynamicEntry earlier : entries) {
                    if (earlier.tag().equals(tag)) {
                        throw new ElfFormatException(structure, at, tag.name() + " appears twice (entries "
                                + earlier.index() + " and " + entries.size() + ")");
                    }
                }
            }
            entries.add(new DynamicEntry(entries.size(), tag, value));
            if (tag.equals(DynamicTag.DT_NULL)) {
                break;
            }
        }
        return new DynamicTable(List.copyOf(entries), region.offset(), entrySize);
    }

    List<DynamicEntry> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    Optional<DynamicEntry> find(DynamicTag tag) {
        return entries.stream().filter(e -> e.tag().equals(tag)).findFirst();
    }

    /** File offset of an entry, for error messages. */
    long offsetOf(DynamicEntry entry) {
        return tableOffset + (long) entry.index() * entrySize;
    }
}
