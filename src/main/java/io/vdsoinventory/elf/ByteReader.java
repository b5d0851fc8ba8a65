package io.vdsoinventory.elf;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Absolute, bounds-checked reads of the input in its byte order. Every read names the structure it belongs to,
 * so a short input fails with an {@link ElfFormatException} that says what was being read and where; unsigned
 * fields are widened (u16 and u32 to int/long) and never come back negative by accident.
 */
final class ByteReader {

    private final byte[] data;
    private final ByteOrder order;
    private final int maxStringLength;

    ByteReader(byte[] data, ByteOrder order, ElfLimits limits) {
        this.data = data;
        this.order = order;
        this.maxStringLength = limits.maxStringLength();
    }

    /** Fails unless {@code [offset, offset + length)} lies inside the input. */
    void require(long offset, long length, String structure) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > data.length || length > data.length - offset) {
            throw new ElfFormatException(structure, offset, "needs " + Long.toUnsignedString(length)
                    + " bytes at 0x" + Long.toHexString(offset) + " but the input is " + data.length + " bytes long");
        }
    }

    int u8(long offset, String structure) throws ElfFormatException {
        require(offset, 1, structure);
        return data[(int) offset] & 0xff;
    }

    int u16(long offset, String structure) throws ElfFormatException {
        return (int) unsigned(offset, 2, structure);
    }

    long u32(long offset, String structure) throws ElfFormatException {
        return unsigned(offset, 4, structure);
    }

    /** The raw 64 bits; callers that use the value as an offset or size check it with {@link #nonNegative}. */
    long u64(long offset, String structure) throws ElfFormatException {
        return unsigned(offset, 8, structure);
    }

    /** A class-width field: Elf32_Addr/Elf32_Off/Elf32_Word or their 64-bit counterparts. */
    long word(long offset, boolean is64, String structure) throws ElfFormatException {
        return is64 ? u64(offset, structure) : u32(offset, structure);
    }

    private long unsigned(long offset, int width, String structure) throws ElfFormatException {
        require(offset, width, structure);
        int at = (int) offset;
        long value = 0;
        for (int i = 0; i < width; i++) {
            int b = data[at + (order == ByteOrder.BIG_ENDIAN ? i : width - 1 - i)] & 0xff;
            value = (value << 8) | b;
        }
        return value;
    }

    byte[] copy(long offset, long length, String structure) throws ElfFormatException {
        require(offset, length, structure);
        return Arrays.copyOfRange(data, (int) offset, (int) (offset + length));
    }

    /**
     * A NUL-terminated string starting at {@code offset} that must end before {@code end}. Its length is capped
     * ({@link ElfLimits#maxStringLength()}), so reading n names costs at most n times the cap, not n times the table.
     */
    String string(long offset, long end, String structure) throws ElfFormatException {
        long limit = Math.min(end, data.length);
        if (offset < 0 || offset >= limit) {
            throw new ElfFormatException(structure, offset, "string offset 0x" + Long.toHexString(offset)
                    + " lies outside its string table (ends at 0x" + Long.toHexString(limit) + ")");
        }
        long scanEnd = Math.min(limit, offset + maxStringLength + 1);
        for (int at = (int) offset; at < scanEnd; at++) {
            if (data[at] == 0) {
                return new String(data, (int) offset, at - (int) offset, StandardCharsets.UTF_8);
            }
        }
        if (scanEnd < limit) {
            throw new ElfFormatException(structure, offset, "string is longer than the limit of "
                    + maxStringLength + " bytes");
        }
        throw new ElfFormatException(structure, offset, "string is not NUL-terminated before 0x"
                + Long.toHexString(limit));
    }

    /** An unsigned 64-bit value used as an offset, size or count: at most 2^63 - 1. */
    static long nonNegative(long value, String field, String structure, long offset) throws ElfFormatException {
        if (value < 0) {
            throw new ElfFormatException(structure, offset, field + " 0x" + Long.toUnsignedString(value, 16)
                    + " is too large");
        }
        return value;
    }

    /** {@code a + b} for non-negative operands, failing instead of overflowing. */
    static long add(long a, long b, String structure, long offset) throws ElfFormatException {
        long sum = a + b;
        if (a < 0 || b < 0 || sum < 0) {
            throw new ElfFormatException(structure, offset, "0x" + Long.toUnsignedString(a, 16) + " + 0x"
                    + Long.toUnsignedString(b, 16) + " overflows");
        }
        return sum;
    }

    /** {@code count * size} for non-negative operands, failing instead of overflowing. */
    static long multiply(long count, long size, String structure, long offset) throws ElfFormatException {
        if (count < 0 || size < 0 || (size != 0 && count > Long.MAX_VALUE / size)) {
            throw new ElfFormatException(structure, offset, Long.toUnsignedString(count) + " entries of "
                    + Long.toUnsignedString(size) + " bytes overflow");
        }
        return count * size;
    }

    /** An unsigned count that must not exceed {@code limit}, as an int. */
    static int count(long value, long limit, String field, String structure, long offset)
            throws ElfFormatException {
        if (value < 0 || value > limit) {
            throw new ElfFormatException(structure, offset, field + " " + Long.toUnsignedString(value)
                    + " exceeds the limit of " + limit);
        }
        return (int) value;
    }
}
