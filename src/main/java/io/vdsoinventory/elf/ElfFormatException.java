package io.vdsoinventory.elf;

/**
 * The one failure of the ELF reader: the bytes are not a readable ELF image. Says which structure was being
 * read, at which file offset, and what was wrong with it, so that a user can look at the bytes themselves.
 */
public final class ElfFormatException extends Exception {

    private final String structure;
    private final long offset;
    private final String reason;

    public ElfFormatException(String structure, long offset, String reason) {
        super(structure + " at offset 0x" + Long.toHexString(offset) + ": " + reason);
        this.structure = structure;
        this.offset = offset;
        this.reason = reason;
    }

    /** The structure being read, e.g. {@code "program header 3"} or {@code ".dynsym"}. */
    public String structure() {
        return structure;
    }

    /** File offset of the structure or field that is wrong. */
    public long offset() {
        return offset;
    }

    /** What is wrong, with the bad value where there is one. */
    public String reason() {
        return reason;
    }
}
