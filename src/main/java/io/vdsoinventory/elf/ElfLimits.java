package io.vdsoinventory.elf;

/**
 * Caps on what one image may declare, checked before anything is allocated or walked. The defaults are far above
 * any vDSO (a few dozen symbols, a handful of headers) and still keep a hostile input cheap.
 *
 * @param maxInputSize bytes accepted at all
 * @param maxProgramHeaders e_phnum
 * @param maxSections e_shnum
 * @param maxSymbols .dynsym entries, also the largest symbol count a hash table may imply
 * @param maxVersionDefinitions verdef entries (DT_VERDEFNUM / sh_info), and verdaux entries of all of them
 * @param maxNotes notes in one note segment or section
 * @param maxDynamicEntries entries read from the dynamic table
 * @param maxStringLength bytes of one name (symbol, section, version, soname) before its NUL
 */
public record ElfLimits(int maxInputSize, int maxProgramHeaders, int maxSections, int maxSymbols,
        int maxVersionDefinitions, int maxNotes, int maxDynamicEntries, int maxStringLength) {

    /**
     * 64 MiB, 1024 program headers, 4096 sections, 65536 symbols, 1024 version definitions (and verdaux entries in
     * all), 1024 notes, 1024 dynamic entries, 1024-byte names.
     */
    public static final ElfLimits DEFAULT = new ElfLimits(64 << 20, 1024, 4096, 65536, 1024, 1024, 1024, 1024);

    public ElfLimits {
        if (maxInputSize <= 0 || maxProgramHeaders <= 0 || maxSections <= 0 || maxSymbols <= 0
                || maxVersionDefinitions <= 0 || maxNotes <= 0 || maxDynamicEntries <= 0 || maxStringLength <= 0) {
            throw new IllegalArgumentException("every ELF limit must be positive");
        }
    }
}
