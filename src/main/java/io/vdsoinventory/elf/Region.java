package io.vdsoinventory.elf;

/** A byte range of the input, {@code [offset, offset + length)}, already checked to lie inside it. */
record Region(long offset, long length) {

    long end() {
        return offset + length;
    }

    boolean contains(long at, long size) {
        return at >= offset && size >= 0 && at <= end() && size <= end() - at;
    }

    /** Fails unless {@code size} bytes at {@code at} lie inside this region. */
    void require(long at, long size, String structure, String what) throws ElfFormatException {
        if (!contains(at, size)) {
            throw new ElfFormatException(structure, at, what + " (0x" + Long.toHexString(size)
                    + " bytes) runs past the end of its table at 0x" + Long.toHexString(end()));
        }
    }
}
