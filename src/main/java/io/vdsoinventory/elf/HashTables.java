package io.vdsoinventory.elf;

/**
 * The symbol counts the hash tables imply: a dynamic table carries no symbol count, so a loader (and the kernel's
 * parse_vdso.c) learns it from DT_HASH's nchain or by walking DT_GNU_HASH. Both layouts follow the gABI "Hash Table"
 * and binutils' GNU hash, with the quirks parse_vdso.c documents: SysV words are 8 bytes on s390x and alpha, GNU
 * bloom words are class-width, and a GNU chain ends at the entry whose low bit is set.
 */
final class HashTables {

    private HashTables() {
    }

    /** nchain of a SysV hash table, after checking the whole table lies in {@code region}. */
    static int sysvSymbolCount(ByteReader in, Region region, int wordSize, ElfLimits limits)
            throws ElfFormatException {
        String structure = "SysV hash table";
        long at = region.offset();
        region.require(at, 2L * wordSize, structure, "nbucket and nchain");
        long buckets = wordSize == 8 ? in.u64(at, structure) : in.u32(at, structure);
        long chains = wordSize == 8 ? in.u64(at + wordSize, structure) : in.u32(at + wordSize, structure);
        int count = ByteReader.count(chains, limits.maxSymbols(), "nchain", structure, at);
        long words = ByteReader.add(2 + count, ByteReader.nonNegative(buckets, "nbucket", structure, at),
                structure, at);
        region.require(at, ByteReader.multiply(words, wordSize, structure, at), structure,
                "nbucket " + Long.toUnsignedString(buckets) + " + nchain " + count + " words");
        return count;
    }

    /**
     * The symbol count of a GNU hash table: one past the last symbol of the chain that the highest bucket starts,
     * or symoffset when every bucket is empty. Every step of the walk stays inside the table.
     */
    static int gnuSymbolCount(ByteReader in, Region region, boolean is64, ElfLimits limits)
            throws ElfFormatException {
        String structure = "GNU hash table";
        long at = region.offset();
        region.require(at, 16, structure, "header");
        long buckets = in.u32(at, structure);
        long symbolOffset = in.u32(at + 4, structure);
        long bloomWords = in.u32(at + 8, structure);
        long bucketsAt = at + 16 + bloomWords * (is64 ? 8 : 4);
        long chainAt = bucketsAt + 4 * buckets;
        region.require(at, chainAt - at, structure, "bloom filter and " + buckets + " buckets");
        long highest = 0;
        for (long b = bucketsAt; b < chainAt; b += 4) {
            long first = in.u32(b, structure);
            if (first != 0 && first < symbolOffset) {
                throw new ElfFormatException(structure, b, "bucket starts at symbol " + first
                        + ", below symoffset " + symbolOffset);
            }
            highest = Math.max(highest, first);
        }
        if (highest == 0) {
            return ByteReader.count(symbolOffset, limits.maxSymbols(), "symoffset", structure, at + 4);
        }
        long index = highest;
        while (true) {
            long entry = chainAt + 4 * (index - symbolOffset);
            region.require(entry, 4, structure, "chain of symbol " + index);
            if ((in.u32(entry, structure) & 1) != 0) {
                return ByteReader.count(index + 1, limits.maxSymbols(), "symbol count", structure, entry);
            }
            index++;
        }
    }
}
