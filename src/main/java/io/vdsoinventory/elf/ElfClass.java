package io.vdsoinventory.elf;

/** EI_CLASS: the file's word size. Only the two defined classes are readable, so this is a closed set. */
public enum ElfClass {
    ELFCLASS32(32),
    ELFCLASS64(64);

    private final int bits;

    ElfClass(int bits) {
        this.bits = bits;
    }

    /** 32 or 64. */
    public int bits() {
        return bits;
    }
}
