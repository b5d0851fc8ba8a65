package io.vdsoinventory.elf;

import java.util.List;
import java.util.Optional;

/** Skeleton of the facade: a parsed, validated ELF image. */
public final class ElfFile {

    private ElfFile() {
    }

    public static ElfFile parse(byte[] bytes) throws ElfFormatException {
        throw new ElfFormatException("ELF header", 0, "reader not implemented yet");
    }

    public ElfHeader header() {
        throw new UnsupportedOperationException();
    }

    public List<ProgramHeader> programHeaders() {
        throw new UnsupportedOperationException();
    }

    /** Empty when the image has no section headers or they are unusable. */
    public List<SectionHeader> sections() {
        throw new UnsupportedOperationException();
    }

    public Optional<SectionHeader> section(String name) {
        throw new UnsupportedOperationException();
    }

    /** .dynsym entries without the null entry 0. */
    public List<ElfSymbol> dynamicSymbols() {
        throw new UnsupportedOperationException();
    }

    /** Version definition names, without the base (file name) entry. */
    public List<String> versionNames() {
        throw new UnsupportedOperationException();
    }

    public Optional<String> soname() {
        throw new UnsupportedOperationException();
    }

    /** NT_GNU_BUILD_ID as lower-case hex. */
    public Optional<String> buildId() {
        throw new UnsupportedOperationException();
    }

    /** End of the section header table or of the last PT_LOAD's file data, whichever is further. */
    public long fileExtent() {
        throw new UnsupportedOperationException();
    }

    /** A copy of a section's bytes (empty for SHT_NOBITS). */
    public byte[] contents(SectionHeader section) {
        throw new UnsupportedOperationException();
    }
}
