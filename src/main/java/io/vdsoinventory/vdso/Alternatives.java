package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.SectionHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads an image's CPU-alternatives table: the patch sites the kernel rewrites at boot for the running CPU and
 * the replacements it may write there. The entry layout differs by architecture and kernel version and is not
 * recorded in the image, so every layout kernels have used is tried and only the ones whose every entry
 * points at code inside the image are accepted.
 */
final class Alternatives {

    /** One decoded table entry, in virtual addresses. */
    record Entry(long siteAddress, int siteLength, long replacementAddress, int replacementLength, long feature) {
    }

    /** The decoded table, or why it could not be decoded. */
    record Table(List<Entry> entries, Optional<String> problem) {
        static final Table NONE = new Table(List.of(), Optional.empty());
    }

    /** Entry layouts, each named after the struct it decodes. All offsets are relative to their own field. */
    enum Layout {
        /** x86 struct alt_instr, Linux 5.12 to 6.2: s32 instr_offset, s32 repl_offset, u16 cpuid, u8 instrlen, u8 replacementlen. */
        X86_12(12),
        /** x86 struct alt_instr, Linux 4.1 to 5.11: as X86_12 plus u8 padlen. */
        X86_13(13),
        /** x86 struct alt_instr, Linux 6.3 on: the u16 cpuid became u32 ft_flags (cpuid | flags << 16). */
        X86_14(14),
        /** arm64 struct alt_instr: s32 orig_offset, s32 alt_offset, u16 cpucap, u8 orig_len, u8 alt_len. */
        ARM64_12(12),
        /** riscv struct alt_entry: s32 old_offset, s32 alt_offset, u16 vendor_id, u16 alt_len, u32 patch_id. */
        RISCV_16(16);

        final int size;

        Layout(int size) {
            this.size = size;
        }
    }

    /** Feature numbers are small bit indexes into the CPU capability words; anything larger is not a table entry. */
    private static final long MAX_FEATURE = 4096;

    private Alternatives() {
    }

    /** The alternatives table of {@code elf}, empty when the architecture or image has none. */
    static Table read(ElfFile elf, String arch) {
        String sectionName;
        List<Layout> layouts;
        switch (arch) {
            case "x86_64", "x32", "i386" -> {
                sectionName = ".altinstructions";
                layouts = List.of(Layout.X86_12, Layout.X86_13, Layout.X86_14);
            }
            case "aarch64" -> {
                sectionName = ".altinstructions";
                layouts = List.of(Layout.ARM64_12);
            }
            case "riscv64", "riscv32" -> {
                sectionName = ".alternative";
                layouts = List.of(Layout.RISCV_16);
            }
            default -> {
                return Table.NONE;
            }
        }
        Optional<SectionHeader> section = elf.section(sectionName);
        if (section.isEmpty() || section.get().size() == 0) {
            return Table.NONE;
        }
        byte[] table = elf.contents(section.get());
        List<Entry> entries = new ArrayList<>();
        List<Layout> fitting = new ArrayList<>();
        for (Layout layout : layouts) {
            Optional<List<Entry>> decoded = decode(elf, section.get().address(), table, layout);
            if (decoded.isPresent()) {
                fitting.add(layout);
                decoded.get().stream().filter(e -> !entries.contains(e)).forEach(entries::add);
            }
        }
        if (fitting.isEmpty()) {
            return new Table(List.of(), Optional.of(sectionName + " (" + table.length
                    + " bytes) fits no known entry layout of " + layouts + "; its patch sites were not masked"));
        }
        return new Table(List.copyOf(entries), Optional.empty());
    }

    /** Every entry decoded with {@code layout}, or empty when any entry does not point at code in the image. */
    private static Optional<List<Entry>> decode(ElfFile elf, long tableAddress, byte[] table, Layout layout) {
        if (table.length % layout.size != 0) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(table).order(elf.header().byteOrder());
        List<Entry> entries = new ArrayList<>(table.length / layout.size);
        for (int at = 0; at < table.length; at += layout.size) {
            long entryAddress = tableAddress + at;
            long site = entryAddress + in.getInt(at);
            long replacement = entryAddress + 4 + in.getInt(at + 4);
            Entry entry;
            switch (layout) {
                case X86_12, X86_13 -> entry = new Entry(site, u8(in, at + 10), replacement, u8(in, at + 11),
                        in.getShort(at + 8) & 0xffff);
                case X86_14 -> entry = new Entry(site, u8(in, at + 12), replacement, u8(in, at + 13),
                        in.getShort(at + 8) & 0xffff);
                case ARM64_12 -> entry = new Entry(site, u8(in, at + 10), replacement, u8(in, at + 11),
                        in.getShort(at + 8) & 0x7fff);
                default -> {
                    int length = in.getShort(at + 10) & 0xffff;
                    entry = new Entry(site, length, replacement, length, in.getInt(at + 12) & 0xffffffffL);
                }
            }
            if (!plausible(elf, layout, in, at, entry)) {
                return Optional.empty();
            }
            entries.add(entry);
        }
        return Optional.of(entries);
    }

    private static boolean plausible(ElfFile elf, Layout layout, ByteBuffer in, int at, Entry entry) {
        boolean shapeFits;
        switch (layout) {
            case X86_12 -> shapeFits = entry.replacementLength() <= entry.siteLength();
            case X86_13 -> shapeFits = entry.replacementLength() <= entry.siteLength()
                    && u8(in, at + 12) <= entry.siteLength();
            case X86_14 -> shapeFits = entry.replacementLength() <= entry.siteLength()
                    && (in.getShort(at + 10) & 0xff00) == 0;   // ALT_FLAG_* bits are few and low
            case ARM64_12 -> shapeFits = entry.replacementLength() == entry.siteLength()
                    && entry.siteLength() % 4 == 0;
            default -> shapeFits = entry.siteLength() % 2 == 0;
        }
        boolean featureFits = layout == Layout.RISCV_16 || entry.feature() < MAX_FEATURE;
        return shapeFits && featureFits
                && inImage(elf, entry.siteAddress(), entry.siteLength())
                && inImage(elf, entry.replacementAddress(), entry.replacementLength());
    }

    private static boolean inImage(ElfFile elf, long address, int length) {
        OptionalLong start = elf.fileOffsetOf(address);
        OptionalLong end = length == 0 ? start : elf.fileOffsetOf(address + length - 1);
        return start.isPresent() && end.isPresent() && end.getAsLong() - start.getAsLong() == Math.max(0, length - 1);
    }

    private static int u8(ByteBuffer in, int at) {
        return in.get(at) & 0xff;
    }
}
