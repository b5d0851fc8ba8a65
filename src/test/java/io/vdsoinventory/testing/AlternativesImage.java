package io.vdsoinventory.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a vDSO-like image with a CPU-alternatives table and patches its sites the way the kernel does at boot.
 * The table holds offsets relative to its own entries, so the image is written twice: once to learn where the
 * sections land, once with the real table (the layout depends only on sizes, which do not change).
 */
public final class AlternativesImage {

    /** A patch site in {@code .text}: its offset there, length, and the replacements listed for it. */
    public record Site(int textOffset, int length, List<byte[]> replacements, int feature) {
    }

    /** Entry layouts as the kernel versions wrote them. */
    public enum Layout {
        X86_12(12, ".altinstructions"), X86_14(14, ".altinstructions"), ARM64_12(12, ".altinstructions"),
        RISCV_16(16, ".alternative");

        final int size;
        final String section;

        Layout(int size, String section) {
            this.size = size;
            this.section = section;
        }
    }

    public static final byte[] RDTSC_PADDED = bytes(0x0f, 0x31, 0x90, 0x90, 0x90);           // original, as linked
    public static final byte[] LFENCE_RDTSC = bytes(0x0f, 0xae, 0xe8, 0x0f, 0x31);
    public static final byte[] RDTSCP = bytes(0x0f, 0x01, 0xf9);
    public static final byte[] LSL_PADDED = bytes(0x0f, 0x03, 0xc0, 0x90);
    public static final byte[] RDPID = bytes(0xf3, 0x0f, 0xc7, 0xf8);

    private AlternativesImage() {
    }

    /** The rdtsc_ordered() sites of an x86_64 vDSO: one ALTERNATIVE_2 in three functions, plus getcpu's lsl/rdpid. */
    public static List<Site> x86Sites() {
        return List.of(
                new Site(0x10, 5, List.of(LFENCE_RDTSC, RDTSCP), 0x72),
                new Site(0x40, 5, List.of(LFENCE_RDTSC, RDTSCP), 0x72),
                new Site(0x70, 5, List.of(LFENCE_RDTSC, RDTSCP), 0x72),
                new Site(0xa0, 4, List.of(RDPID), 0x216));
    }

    /** 0xc0 bytes of .text: int3 filler with the original instructions at the x86 sites. */
    public static byte[] x86Text() {
        byte[] text = new byte[0xc0];
        java.util.Arrays.fill(text, (byte) 0xcc);
        for (int at : new int[] {0x10, 0x40, 0x70}) {
            System.arraycopy(RDTSC_PADDED, 0, text, at, RDTSC_PADDED.length);
        }
        System.arraycopy(LSL_PADDED, 0, text, 0xa0, LSL_PADDED.length);
        return text;
    }

    /** An unpatched x86_64 image (as in a kernel build directory) with the {@link #x86Sites()}. */
    public static ElfImageBuilder.Image x86(Layout layout) {
        return build(layout, ElfImageBuilder::x86_64Vdso, x86Text(), x86Sites());
    }

    public static ElfImageBuilder.Image build(Layout layout, Supplier<ElfImageBuilder> base, byte[] text, List<Site> sites) {
        int entries = sites.stream().mapToInt(s -> s.replacements().size()).sum();
        int replacementBytes = sites.stream().flatMap(s -> s.replacements().stream()).mapToInt(r -> r.length).sum();
        ElfImageBuilder.Image draft = write(base, text, new byte[entries * layout.size], new byte[replacementBytes],
                layout);
        long textAddress = draft.section(".text").address();
        long tableAddress = draft.section(layout.section).address();
        long replacementAddress = draft.section(".altinstr_replacement").address();

        ByteOrder order = draft.bytes()[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer table = ByteBuffer.allocate(entries * layout.size).order(order);
        ByteBuffer replacements = ByteBuffer.allocate(replacementBytes);
        for (Site site : sites) {
            for (byte[] replacement : site.replacements()) {
                long entry = tableAddress + table.position();
                long replacementAt = replacementAddress + replacements.position();
                table.putInt((int) (textAddress + site.textOffset() - entry));
                table.putInt((int) (replacementAt - (entry + 4)));
                switch (layout) {
                    case X86_12, ARM64_12 -> table.putShort((short) site.feature()).put((byte) site.length())
                            .put((byte) replacement.length);
                    case X86_14 -> table.putInt(site.feature()).put((byte) site.length()).put((byte) replacement.length);
                    case RISCV_16 -> table.putShort((short) 0).putShort((short) replacement.length).putInt(site.feature());
                }
                replacements.put(replacement);
            }
        }
        ElfImageBuilder.Image image = write(base, text, table.array(), replacements.array(), layout);
        if (image.bytes().length != draft.bytes().length
                || image.section(".text").address() != textAddress) {
            throw new IllegalStateException("layout moved between the two writes");
        }
        return image;
    }

    private static ElfImageBuilder.Image write(Supplier<ElfImageBuilder> base, byte[] text, byte[] table,
            byte[] replacements, Layout layout) {
        return base.get()
                .text(text)
                .section(layout.section, table, ElfImageBuilder.SHF_ALLOC)
                .section(".altinstr_replacement", replacements, ElfImageBuilder.SHF_ALLOC | ElfImageBuilder.SHF_EXECINSTR)
                .build();
    }

    /** A copy of {@code image} with {@code site} rewritten to {@code replacement} followed by {@code padding}. */
    public static byte[] patched(ElfImageBuilder.Image image, byte[] bytes, Site site, byte[] replacement, byte[] padding) {
        byte[] copy = bytes.clone();
        int at = (int) (image.section(".text").offset() + site.textOffset());
        System.arraycopy(replacement, 0, copy, at, replacement.length);
        System.arraycopy(padding, 0, copy, at + replacement.length, padding.length);
        if (replacement.length + padding.length != site.length()) {
            throw new IllegalArgumentException("replacement and padding must fill the site");
        }
        return copy;
    }

    /** The kernel's boot-time patching for a CPU that has the features picked by {@code choice} per site. */
    public static byte[] bootedOn(ElfImageBuilder.Image image, java.util.function.Function<Site, byte[]> choice) {
        byte[] bytes = image.copy();
        for (Site site : x86Sites()) {
            byte[] replacement = choice.apply(site);
            if (replacement != null) {
                bytes = patched(image, bytes, site, replacement, X86_NOPS[site.length() - replacement.length]);
            }
        }
        return bytes;
    }

    /** arch/x86/include/asm/nops.h: the kernel's NOP of each length (0 to 5 bytes here). */
    public static final byte[][] X86_NOPS = {
        bytes(), bytes(0x90), bytes(0x66, 0x90), bytes(0x0f, 0x1f, 0x00), bytes(0x0f, 0x1f, 0x40, 0x00),
        bytes(0x0f, 0x1f, 0x44, 0x00, 0x00)};

    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
