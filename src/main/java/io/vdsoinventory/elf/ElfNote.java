package io.vdsoinventory.elf;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One note (Elf_Nhdr: n_namesz, n_descsz, n_type, then the name and the descriptor, each padded to the note
 * alignment). The type's meaning depends on the owner: {@code GNU} type 3 is NT_GNU_BUILD_ID, {@code Linux} type 0
 * is the kernel version code a vDSO carries (include/linux/elfnote.h, arch/x86/entry/vdso/vdso-note.S).
 *
 * @param name the owner name without its terminating NUL
 * @param type n_type
 * @param descriptor the descriptor bytes (copied in and out)
 * @param offset file offset of the note header (within the parsed buffer for {@link #parseAll})
 */
public record ElfNote(String name, long type, byte[] descriptor, long offset) {

    /** n_type of the GNU build-id note (owner {@code GNU}). */
    public static final long NT_GNU_BUILD_ID = 3;
    /** n_type of the GNU ABI tag note (owner {@code GNU}). */
    public static final long NT_GNU_ABI_TAG = 1;
    /** n_type of the GNU property note (owner {@code GNU}). */
    public static final long NT_GNU_PROPERTY_TYPE_0 = 5;

    private static final int HEADER_SIZE = 12;

    public ElfNote {
        descriptor = descriptor.clone();
    }

    @Override
    public byte[] descriptor() {
        return descriptor.clone();
    }

    /** The descriptor as lower-case hex (how readelf prints a build-id). */
    public String descriptorHex() {
        return HexFormat.of().formatHex(descriptor);
    }

    /** Whether this is the owner's note of the given type. */
    public boolean is(String owner, long noteType) {
        return name.equals(owner) && type == noteType;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ElfNote note && note.name.equals(name) && note.type == type
                && note.offset == offset && Arrays.equals(note.descriptor, descriptor);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Long.hashCode(type)) * 31 + Arrays.hashCode(descriptor);
    }

    @Override
    public String toString() {
        return "ElfNote[" + name + ", type " + type + ", " + descriptorHex() + " at 0x" + Long.toHexString(offset)
                + "]";
    }

    /**
     * Parses a raw note sequence with 4-byte aligned name and descriptor, such as /sys/kernel/notes. Offsets in the
     * result are relative to {@code data}.
     */
    public static List<ElfNote> parseAll(byte[] data, ByteOrder order) throws ElfFormatException {
        return parseAll(data, order, ElfLimits.DEFAULT);
    }

    public static List<ElfNote> parseAll(byte[] data, ByteOrder order, ElfLimits limits) throws ElfFormatException {
        ByteReader in = new ByteReader(data, order, limits);
        return read(in, new Region(0, data.length), 4, limits, "notes");
    }

    /**
     * The notes of one region. Each note advances by at least its 12-byte header, so the walk ends within the
     * region; its count is capped as well.
     */
    static List<ElfNote> read(ByteReader in, Region region, int alignment, ElfLimits limits, String structure)
            throws ElfFormatException {
        List<ElfNote> notes = new ArrayList<>();
        long at = region.offset();
        while (at < region.end()) {
            String what = structure + " note " + notes.size();
            if (notes.size() == limits.maxNotes()) {
                throw new ElfFormatException(what, at, "more than the limit of " + limits.maxNotes() + " notes");
            }
            region.require(at, HEADER_SIZE, what, "note header");
            long nameSize = in.u32(at, what);
            long descriptorSize = in.u32(at + 4, what);
            long type = in.u32(at + 8, what);
            long nameAt = at + HEADER_SIZE;
            region.require(nameAt, nameSize, what, "n_namesz " + nameSize);
            long descriptorAt = align(nameAt + nameSize, alignment);
            region.require(descriptorAt, descriptorSize, what, "n_descsz " + descriptorSize);
            byte[] nameBytes = in.copy(nameAt, nameSize, what);
            int nameLength = 0;
            while (nameLength < nameBytes.length && nameBytes[nameLength] != 0) {
                nameLength++;
            }
            String name = new String(nameBytes, 0, nameLength, StandardCharsets.UTF_8);
            notes.add(new ElfNote(name, type, in.copy(descriptorAt, descriptorSize, what), at));
            at = align(descriptorAt + descriptorSize, alignment);
        }
        return List.copyOf(notes);
    }

    private static long align(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
