package io.vdsoinventory.vdso;

/**
 * Recognises the padding the kernel writes into patch sites, per architecture: after copying a replacement the
 * rest of the site is filled with NOPs, and x86 also rewrites runs of one-byte NOPs into long NOPs or a short
 * jump over int3 bytes (arch/x86/kernel/alternative.c: add_nop, optimize_nops).
 */
final class NopPadding {

    private NopPadding() {
    }

    /** Whether {@code bytes[from, to)} is nothing but padding for {@code arch}. An empty range is padding. */
    static boolean isPadding(String arch, byte[] bytes, int from, int to) {
        switch (arch) {
            case "x86_64", "x32", "i386":
                return isX86Padding(bytes, from, to);
            case "aarch64":
                // NOP is d503201f; AArch64 instructions are little-endian in either data byte order.
                return isRepeated(bytes, from, to, new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5});
            case "riscv64", "riscv32":
                return isRiscvPadding(bytes, from, to);
            default:
                return from == to;
        }
    }

    /** The length of the site's content without its trailing padding: the instructions that matter. */
    static int coreLength(String arch, byte[] bytes, int from, int to) {
        for (int end = from; end < to; end++) {
            if (isPadding(arch, bytes, end, to)) {
                return end - from;
            }
        }
        return to - from;
    }

    private static boolean isX86Padding(byte[] b, int from, int to) {
        int at = from;
        if (to - at >= 2 && u8(b, at) == 0xeb && u8(b, at + 1) == to - at - 2) {
            // JMP8 over the rest, which add_nop fills with int3 (older kernels: NOPs)
            for (int i = at + 2; i < to; i++) {
                if (u8(b, i) != 0xcc && u8(b, i) != 0x90) {
                    return false;
                }
            }
            return true;
        }
        while (at < to) {
            int length = x86NopLength(b, at, to);
            if (length == 0) {
                return false;
            }
            at += length;
        }
        return true;
    }

    /**
     * Length of one x86 NOP at {@code at}: up to four 0x66/0x2e prefixes, then 0x90 or the long form
     * 0f 1f /0 with a zero displacement (the shapes in arch/x86/include/asm/nops.h); 0 when there is none.
     */
    private static int x86NopLength(byte[] b, int at, int to) {
        int i = at;
        while (i < to && i - at < 4 && (u8(b, i) == 0x66 || u8(b, i) == 0x2e)) {
            i++;
        }
        if (i < to && u8(b, i) == 0x90) {
            return i + 1 - at;
        }
        if (i + 2 >= to || u8(b, i) != 0x0f || u8(b, i + 1) != 0x1f) {
            return 0;
        }
        int modrm = u8(b, i + 2);
        int zeros;
        switch (modrm) {
            case 0x00: zeros = 0; break;      // nopl (%rax)
            case 0x40: zeros = 1; break;      // nopl 0(%rax)
            case 0x44: zeros = 2; break;      // nopl 0(%rax,%rax,1)
            case 0x80: zeros = 4; break;      // nopl 0L(%rax)
            case 0x84: zeros = 5; break;      // nopl 0L(%rax,%rax,1)
            default: return 0;
        }
        int end = i + 3 + zeros;
        if (end > to) {
            return 0;
        }
        for (int z = i + 3; z < end; z++) {
            if (b[z] != 0) {
                return 0;
            }
        }
        return end - at;
    }

    private static boolean isRiscvPadding(byte[] b, int from, int to) {
        int at = from;
        while (at < to) {
            if (to - at >= 4 && u8(b, at) == 0x13 && b[at + 1] == 0 && b[at + 2] == 0 && b[at + 3] == 0) {
                at += 4;                       // addi x0, x0, 0
            } else if (to - at >= 2 && u8(b, at) == 0x01 && b[at + 1] == 0) {
                at += 2;                       // c.nop
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isRepeated(byte[] b, int from, int to, byte[] unit) {
        if ((to - from) % unit.length != 0) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] != unit[(i - from) % unit.length]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }
}
