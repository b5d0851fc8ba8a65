package io.vdsoinventory.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes small vDSO-like ELF shared objects for tests: ELF32 or ELF64, little or big endian, any e_machine.
 *
 * <p>The image has one PT_LOAD (file offset 0 at {@link #loadAddress(long) the load address}) holding the dynamic
 * structures, the notes, {@code .text} and every allocated extra section, then PT_DYNAMIC and (when there are
 * notes) PT_NOTE. The section header table and {@code .shstrtab} follow the loaded data, as in a linked vDSO.
 * Everything is laid out first and written once; {@link Image} reports where each section ended up.
 *
 * <pre>{@code
 * Image image = ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_X86_64)
 *         .versions("LINUX_2.6")
 *         .symbol(SymbolSpec.function("__vdso_clock_gettime", "LINUX_2.6"))
 *         .buildId(new byte[20])
 *         .build();
 * }</pre>
 */
public final class ElfImageBuilder {

    public static final int EM_386 = 3;
    public static final int EM_MIPS = 8;
    public static final int EM_PARISC = 15;
    public static final int EM_SPARC32PLUS = 18;
    public static final int EM_PPC = 20;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_SPARCV9 = 43;
    public static final int EM_X86_64 = 62;
    public static final int EM_NDS32 = 167;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_CSKY = 252;
    public static final int EM_LOONGARCH = 258;

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    public static final int PF_X = 0x1;
    public static final int PF_W = 0x2;
    public static final int PF_R = 0x4;

    public static final int NT_GNU_BUILD_ID = 3;

    /** Which symbol hash tables the image carries. */
    public enum HashStyle { SYSV, GNU, BOTH }

    /** Where a section (or other laid-out structure) ended up: file offset, virtual address, byte size. */
    public record Placement(long offset, long address, long size) {
    }

    /**
     * One dynamic symbol to write. {@code section} names the section its value is relative to ({@code .text} by
     * default), or is {@code null} for an undefined symbol; {@code absolute} symbols take {@code offset} as value.
     * {@code versym} is the versym index to write instead of the one {@code version} implies ({@link #AUTO_VERSYM}:
     * the version's, else 1 for a defined symbol and 0 for an undefined one).
     */
    public record SymbolSpec(String name, String section, boolean absolute, long offset, long size, int type,
            int binding, String version, boolean hidden, int versym) {

        public static final int AUTO_VERSYM = -1;

        public SymbolSpec(String name, String section, boolean absolute, long offset, long size, int type,
                int binding, String version, boolean hidden) {
            this(name, section, absolute, offset, size, type, binding, version, hidden, AUTO_VERSYM);
        }

        /** A global function in {@code .text}, placed automatically, in version node {@code version} (or none). */
        public static SymbolSpec function(String name, String version) {
            return new SymbolSpec(name, ".text", false, -1, 16, STT_FUNC, STB_GLOBAL, version, false);
        }

        /** A global SHN_ABS object with value 0, like the symbol ld emits for each version node. */
        public static SymbolSpec absolute(String name, String version) {
            return new SymbolSpec(name, null, true, 0, 0, STT_OBJECT, STB_GLOBAL, version, false);
        }

        /** A global undefined (SHN_UNDEF) symbol without type. */
        public static SymbolSpec undefined(String name) {
            return new SymbolSpec(name, null, false, 0, 0, STT_NOTYPE, STB_GLOBAL, null, false);
        }

        /**
         * The STT_SECTION symbol ld emits for an output section (LOCAL, st_name 0, value the section's address,
         * versym 0): readelf and objdump show it under the section's name.
         */
        public static SymbolSpec sectionSymbol(String sectionName) {
            return new SymbolSpec("", sectionName, false, 0, 0, STT_SECTION, STB_LOCAL, null, false, 0);
        }

        /** Writes this versym index (0 local, 1 global/base, ...) instead of the automatic one. */
        public SymbolSpec versym(int index) {
            return new SymbolSpec(name, section, absolute, offset, size, type, binding, version, hidden, index);
        }

        public SymbolSpec at(long offsetInSection) {
            return new SymbolSpec(name, section, absolute, offsetInSection, size, type, binding, version, hidden, versym);
        }

        public SymbolSpec in(String sectionName) {
            return new SymbolSpec(name, sectionName, false, offset, size, type, binding, version, hidden, versym);
        }

        public SymbolSpec size(long bytes) {
            return new SymbolSpec(name, section, absolute, offset, bytes, type, binding, version, hidden, versym);
        }

        public SymbolSpec type(int stType) {
            return new SymbolSpec(name, section, absolute, offset, size, stType, binding, version, hidden, versym);
        }

        public SymbolSpec binding(int stBind) {
            return new SymbolSpec(name, section, absolute, offset, size, type, stBind, version, hidden, versym);
        }

        public SymbolSpec weak() {
            return binding(STB_WEAK);
        }

        /** Sets the versym hidden bit (readelf {@code name@VER} instead of {@code name@@VER}). */
        public SymbolSpec hiddenVersion() {
            return new SymbolSpec(name, section, absolute, offset, size, type, binding, version, true, versym);
        }

        boolean defined() {
            return absolute || section != null;
        }
    }

    /** A written image and where its parts are. */
    public record Image(byte[] bytes, Map<String, Placement> placements, Map<String, Long> symbolValues,
            List<String> dynsymOrder, long programHeaderOffset, long sectionHeaderOffset, long elfExtent) {

        /** Placement of a section by name (also for images written without section headers). */
        public Placement section(String name) {
            Placement placement = placements.get(name);
            if (placement == null) {
                throw new IllegalArgumentException("no section " + name + " in " + placements.keySet());
            }
            return placement;
        }

        /** st_value written for a symbol. */
        public long symbolValue(String name) {
            Long value = symbolValues.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no symbol " + name);
            }
            return value;
        }

        /** The .dynsym index of a symbol (entry 0 is the null symbol). */
        public int dynsymIndex(String name) {
            int index = dynsymOrder.indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("no symbol " + name);
            }
            return index + 1;
        }

        /** A copy of the bytes, for tests that damage the image. */
        public byte[] copy() {
            return bytes.clone();
        }
    }

    private record ExtraSection(String name, int type, byte[] contents, long flags, long alignment) {
    }

    private record Note(String owner, int type, byte[] descriptor) {
    }

    private static final int SHT_PROGBITS = 1;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_HASH = 5;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_NOTE = 7;
    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_HASH = 0x6ffffff6;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;

    private static final long DT_NULL = 0;
    private static final long DT_HASH = 4;
    private static final long DT_STRTAB = 5;
    private static final long DT_SYMTAB = 6;
    private static final long DT_STRSZ = 10;
    private static final long DT_SYMENT = 11;
    private static final long DT_SONAME = 14;
    private static final long DT_GNU_HASH = 0x6ffffef5L;
    private static final long DT_VERSYM = 0x6ffffff0L;
    private static final long DT_VERDEF = 0x6ffffffcL;
    private static final long DT_VERDEFNUM = 0x6ffffffdL;

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_NOTE = 4;

    private final boolean is64;
    private final ByteOrder order;
    private final int machine;
    private int flags;
    private int osabi;
    private String soname = "linux-vdso.so.1";
    private HashStyle hashStyle = HashStyle.BOTH;
    private boolean withSectionHeaders = true;
    private final List<String> versions = new ArrayList<>();
    private final List<SymbolSpec> symbols = new ArrayList<>();
    private final List<ExtraSection> extraSections = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private byte[] text;
    private long loadAddress;
    private int loadFlags = PF_R | PF_X;
    private int pageSize;
    private byte[] trailing = new byte[0];

    private ElfImageBuilder(boolean is64, ByteOrder order, int machine) {
        this.is64 = is64;
        this.order = order;
        this.machine = machine;
    }

    public static ElfImageBuilder elf64(ByteOrder order, int machine) {
        return new ElfImageBuilder(true, order, machine);
    }

    public static ElfImageBuilder elf32(ByteOrder order, int machine) {
        return new ElfImageBuilder(false, order, machine);
    }

    /** A typical x86_64 vDSO: LINUX_2.6 with the usual clock functions, both hash tables and a build-id. */
    public static ElfImageBuilder x86_64Vdso() {
        ElfImageBuilder builder = elf64(ByteOrder.LITTLE_ENDIAN, EM_X86_64).versions("LINUX_2.6");
        for (String name : List.of("clock_gettime", "gettimeofday", "time", "clock_getres", "getcpu")) {
            builder.symbol(SymbolSpec.function("__vdso_" + name, "LINUX_2.6"));
            builder.symbol(SymbolSpec.function(name, "LINUX_2.6").weak());
        }
        return builder.symbol(SymbolSpec.absolute("LINUX_2.6", "LINUX_2.6"))
                .buildId(new byte[] {0x53, 0x4a, (byte) 0xa0, 0x08, 0x27, (byte) 0x96, 0x04, 0x0c, (byte) 0xc1,
                        (byte) 0xc2, 0x75, 0x6d, (byte) 0xcc, (byte) 0xbc, 0x71, 0x6c, 0x38, 0x19, 0x0a, 0x27});
    }

    /** e_flags (default 0): the ABI and ISA bits of the architecture (EF_ARM_EABI_VER5, EF_MIPS_ABI2, ...). */
    public ElfImageBuilder flags(int eFlags) {
        this.flags = eFlags;
        return this;
    }

    /** e_ident[EI_OSABI] (default 0, ELFOSABI_NONE); ld's hppa-linux targets write 3 (ELFOSABI_GNU). */
    public ElfImageBuilder osabi(int abi) {
        this.osabi = abi;
        return this;
    }

    public ElfImageBuilder soname(String name) {
        this.soname = Objects.requireNonNull(name);
        return this;
    }

    public ElfImageBuilder hash(HashStyle style) {
        this.hashStyle = Objects.requireNonNull(style);
        return this;
    }

    /** Whether to write a section header table (default true); without it only program headers describe the image. */
    public ElfImageBuilder sectionHeaders(boolean write) {
        this.withSectionHeaders = write;
        return this;
    }

    /** Version nodes after the base entry, numbered 2, 3, ...; none (the default) writes no versym/verdef. */
    public ElfImageBuilder versions(String... names) {
        versions.addAll(List.of(names));
        return this;
    }

    public ElfImageBuilder symbol(SymbolSpec symbol) {
        symbols.add(Objects.requireNonNull(symbol));
        return this;
    }

    /** The contents of {@code .text}; by default 16 bytes of 0xc3 per automatically placed function. */
    public ElfImageBuilder text(byte[] contents) {
        this.text = contents.clone();
        return this;
    }

    /** An extra SHT_PROGBITS section; allocated ones ({@link #SHF_ALLOC}) go into the PT_LOAD after {@code .text}. */
    public ElfImageBuilder section(String name, byte[] contents, long flags) {
        return section(name, SHT_PROGBITS, contents, flags, 1);
    }

    public ElfImageBuilder section(String name, int type, byte[] contents, long flags, long alignment) {
        extraSections.add(new ExtraSection(name, type, contents.clone(), flags, alignment));
        return this;
    }

    public ElfImageBuilder note(String owner, int type, byte[] descriptor) {
        notes.add(new Note(owner, type, descriptor.clone()));
        return this;
    }

    public ElfImageBuilder buildId(byte[] id) {
        return note("GNU", NT_GNU_BUILD_ID, id);
    }

    /** The Linux kernel-version note every vDSO carries (owner "Linux", type 0, LINUX_VERSION_CODE). */
    public ElfImageBuilder linuxVersionNote(int versionCode) {
        return note("Linux", 0, ByteBuffer.allocate(4).order(order).putInt(versionCode).array());
    }

    /** p_vaddr of the PT_LOAD (file offset 0); every address in the image is relative to it. */
    public ElfImageBuilder loadAddress(long address) {
        this.loadAddress = address;
        return this;
    }

    /** p_flags of the PT_LOAD (default R+X). */
    public ElfImageBuilder loadFlags(int flags) {
        this.loadFlags = flags;
        return this;
    }

    /** Zero-pads the image to a multiple of {@code size}, like a dump of the whole {@code [vdso]} mapping. */
    public ElfImageBuilder pagePadding(int size) {
        this.pageSize = size;
        return this;
    }

    /** Bytes appended after everything else (after the page padding, if any). */
    public ElfImageBuilder trailingBytes(byte[] bytes) {
        this.trailing = bytes.clone();
        return this;
    }

    public Image build() {
        return new Writer().write();
    }

    /** The SysV ELF hash (System V ABI, "Hash Table"). */
    public static long sysvHash(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 4) + (b & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h & 0xffffffffL;
    }

    /** The GNU hash (Bernstein, h * 33 + c), as binutils' bfd_elf_gnu_hash. */
    public static long gnuHash(String name) {
        long h = 5381;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h * 33 + (b & 0xff)) & 0xffffffffL;
        }
        return h;
    }

    /** One build: lays out then writes. */
    private final class Writer {
        private final int wordSize = is64 ? 8 : 4;
        private final int ehdrSize = is64 ? 64 : 52;
        private final int phdrSize = is64 ? 56 : 32;
        private final int shdrSize = is64 ? 64 : 40;
        private final int symSize = is64 ? 24 : 16;
        private final int dynSize = is64 ? 16 : 8;
        // s390x (64-bit) and alpha use 8-byte SysV hash words; glibc/kernel parse_vdso.c ELF_HASH_ENTRY.
        private final int sysvWord = is64 && machine == EM_S390 ? 8 : 4;
        private final boolean versioned = !versions.isEmpty();
        private final boolean sysv = hashStyle != HashStyle.GNU;
        private final boolean gnu = hashStyle != HashStyle.SYSV;

        private final Map<String, Placement> placements = new LinkedHashMap<>();
        private final Map<String, Long> symbolValues = new HashMap<>();
        private final StringTable dynstr = new StringTable();
        private final StringTable shstrtab = new StringTable();
        private List<SymbolSpec> ordered;
        private int gnuBuckets;
        private int gnuSymOffset;
        private byte[] textBytes;
        private ByteBuffer out;
        private long cursor;

        Image write() {
            orderSymbols();
            placeFunctions();
            dynstr.add(soname);
            ordered.forEach(s -> dynstr.add(s.name()));
            versions.forEach(dynstr::add);

            int programHeaderCount = notes.isEmpty() ? 2 : 3;
            cursor = ehdrSize + (long) programHeaderCount * phdrSize;
            int symbolCount = ordered.size() + 1;
            if (sysv) {
                place(".hash", (2L + symbolCount + symbolCount) * sysvWord, wordSize);
            }
            if (gnu) {
                place(".gnu.hash", 16L + wordSize + 4L * gnuBuckets + 4L * (symbolCount - gnuSymOffset), wordSize);
            }
            place(".dynsym", (long) symbolCount * symSize, wordSize);
            place(".dynstr", dynstr.size(), 1);
            if (versioned) {
                place(".gnu.version", 2L * symbolCount, 2);
                place(".gnu.version_d", 28L * (versions.size() + 1), wordSize);
            }
            place(".dynamic", (long) dynamicEntries().size() * dynSize, wordSize);
            if (!notes.isEmpty()) {
                place(".note", notes.stream().mapToLong(n -> noteSize(n)).sum(), 4);
            }
            place(".text", textBytes.length, 16);
            for (ExtraSection extra : extraSections) {
                if ((extra.flags() & SHF_ALLOC) != 0) {
                    place(extra.name(), extra.contents().length, extra.alignment());
                }
            }
            long loadEnd = cursor;
            for (ExtraSection extra : extraSections) {
                if ((extra.flags() & SHF_ALLOC) == 0) {
                    placeUnloaded(extra.name(), extra.contents().length, extra.alignment());
                }
            }
            long sectionHeaderOffset = 0;
            List<String> sectionNames = new ArrayList<>(placements.keySet());
            if (withSectionHeaders) {
                sectionNames.forEach(shstrtab::add);
                shstrtab.add(".shstrtab");
                placeUnloaded(".shstrtab", shstrtab.size(), 1);
                cursor = align(cursor, wordSize);
                sectionHeaderOffset = cursor;
                cursor += (long) (placements.size() + 1) * shdrSize;
            }
            long extent = cursor;
            long padded = pageSize > 0 ? align(extent, pageSize) : extent;
            out = ByteBuffer.allocate(Math.toIntExact(padded + trailing.length)).order(order);

            writeHeader(programHeaderCount, sectionHeaderOffset);
            writeProgramHeaders(loadEnd);
            writeHashTables(symbolCount);
            writeSymbols();
            out.put(Math.toIntExact(placements.get(".dynstr").offset()), dynstr.bytes());
            if (versioned) {
                writeVersions();
            }
            writeDynamic();
            writeNotes();
            out.put(Math.toIntExact(placements.get(".text").offset()), textBytes);
            for (ExtraSection extra : extraSections) {
                out.put(Math.toIntExact(placements.get(extra.name()).offset()), extra.contents());
            }
            if (withSectionHeaders) {
                out.put(Math.toIntExact(placements.get(".shstrtab").offset()), shstrtab.bytes());
                writeSectionHeaders(sectionHeaderOffset);
            }
            out.put(Math.toIntExact(padded), trailing);
            List<String> names = ordered.stream().map(SymbolSpec::name).toList();
            return new Image(out.array(), Map.copyOf(placements), Map.copyOf(symbolValues), names,
                    ehdrSize, sectionHeaderOffset, extent);
        }

        /** LOCAL first (ELF requires it), then undefined, then defined ones grouped by GNU hash bucket. */
        private void orderSymbols() {
            List<SymbolSpec> locals = new ArrayList<>();
            List<SymbolSpec> undefined = new ArrayList<>();
            List<SymbolSpec> hashed = new ArrayList<>();
            for (SymbolSpec symbol : symbols) {
                if (symbol.binding() == STB_LOCAL) {
                    locals.add(symbol);
                } else if (!symbol.defined()) {
                    undefined.add(symbol);
                } else {
                    hashed.add(symbol);
                }
            }
            gnuBuckets = Math.max(1, hashed.size() / 2);
            hashed.sort(Comparator.comparingLong(s -> gnuHash(s.name()) % gnuBuckets));
            ordered = new ArrayList<>(locals);
            ordered.addAll(undefined);
            gnuSymOffset = ordered.size() + 1;
            ordered.addAll(hashed);
        }

        private void placeFunctions() {
            long next = 0;
            List<SymbolSpec> placed = new ArrayList<>();
            for (SymbolSpec symbol : ordered) {
                if (".text".equals(symbol.section()) && symbol.offset() < 0) {
                    placed.add(symbol.at(next));
                    next += 16;
                } else {
                    placed.add(symbol);
                }
            }
            ordered = placed;
            if (text != null) {
                textBytes = text;
            } else {
                textBytes = new byte[(int) Math.max(16, next)];
                Arrays.fill(textBytes, (byte) 0xc3);
            }
        }

        private void place(String name, long size, long alignment) {
            cursor = align(cursor, alignment);
            placements.put(name, new Placement(cursor, loadAddress + cursor, size));
            cursor += size;
        }

        private void placeUnloaded(String name, long size, long alignment) {
            cursor = align(cursor, alignment);
            placements.put(name, new Placement(cursor, 0, size));
            cursor += size;
        }

        private long address(String section) {
            return placements.get(section).address();
        }

        private List<long[]> dynamicEntries() {
            List<long[]> entries = new ArrayList<>();
            entries.add(new long[] {DT_SONAME, dynstr.offsetOf(soname)});
            if (sysv) {
                entries.add(new long[] {DT_HASH, 0});
            }
            if (gnu) {
                entries.add(new long[] {DT_GNU_HASH, 0});
            }
            entries.add(new long[] {DT_STRTAB, 0});
            entries.add(new long[] {DT_SYMTAB, 0});
            entries.add(new long[] {DT_STRSZ, dynstr.size()});
            entries.add(new long[] {DT_SYMENT, symSize});
            if (versioned) {
                entries.add(new long[] {DT_VERDEF, 0});
                entries.add(new long[] {DT_VERDEFNUM, versions.size() + 1});
                entries.add(new long[] {DT_VERSYM, 0});
            }
            entries.add(new long[] {DT_NULL, 0});
            return entries;
        }

        private void writeHeader(int programHeaderCount, long sectionHeaderOffset) {
            out.put(0, new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1),
                    (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1, (byte) osabi});
            int at = 16;
            out.putShort(at, (short) 3); // ET_DYN
            out.putShort(at + 2, (short) machine);
            out.putInt(at + 4, 1); // EV_CURRENT
            at = word(at + 8, 0); // e_entry
            at = word(at, ehdrSize); // e_phoff
            at = word(at, sectionHeaderOffset);
            out.putInt(at, flags);
            out.putShort(at + 4, (short) ehdrSize);
            out.putShort(at + 6, (short) phdrSize);
            out.putShort(at + 8, (short) programHeaderCount);
            out.putShort(at + 10, (short) (withSectionHeaders ? shdrSize : 0));
            out.putShort(at + 12, (short) (withSectionHeaders ? placements.size() + 1 : 0));
            out.putShort(at + 14, (short) (withSectionHeaders ? placements.size() : 0));
        }

        private void writeProgramHeaders(long loadEnd) {
            int at = ehdrSize;
            programHeader(at, PT_LOAD, loadFlags, 0, loadAddress, loadEnd, 0x1000);
            Placement dynamic = placements.get(".dynamic");
            programHeader(at + phdrSize, PT_DYNAMIC, PF_R, dynamic.offset(), dynamic.address(), dynamic.size(),
                    wordSize);
            if (!notes.isEmpty()) {
                Placement note = placements.get(".note");
                programHeader(at + 2 * phdrSize, PT_NOTE, PF_R, note.offset(), note.address(), note.size(), 4);
            }
        }

        private void programHeader(int at, int type, int flags, long offset, long address, long size,
                long alignment) {
            out.putInt(at, type);
            if (is64) {
                out.putInt(at + 4, flags);
                out.putLong(at + 8, offset);
                out.putLong(at + 16, address);
                out.putLong(at + 24, address);
                out.putLong(at + 32, size);
                out.putLong(at + 40, size);
                out.putLong(at + 48, alignment);
            } else {
                out.putInt(at + 4, (int) offset);
                out.putInt(at + 8, (int) address);
                out.putInt(at + 12, (int) address);
                out.putInt(at + 16, (int) size);
                out.putInt(at + 20, (int) size);
                out.putInt(at + 24, flags);
                out.putInt(at + 28, (int) alignment);
            }
        }

        private void writeHashTables(int symbolCount) {
            if (sysv) {
                int at = Math.toIntExact(placements.get(".hash").offset());
                int buckets = symbolCount;
                long[] bucket = new long[buckets];
                long[] chain = new long[symbolCount];
                for (int i = 1; i < symbolCount; i++) {
                    int b = (int) (sysvHash(ordered.get(i - 1).name()) % buckets);
                    chain[i] = bucket[b];
                    bucket[b] = i;
                }
                at = sysvWord(at, buckets);
                at = sysvWord(at, symbolCount);
                for (long value : bucket) {
                    at = sysvWord(at, value);
                }
                for (long value : chain) {
                    at = sysvWord(at, value);
                }
            }
            if (gnu) {
                writeGnuHash(symbolCount);
            }
        }

        private int sysvWord(int at, long value) {
            if (sysvWord == 8) {
                out.putLong(at, value);
            } else {
                out.putInt(at, (int) value);
            }
            return at + sysvWord;
        }

        /** One bloom word, shift 6, buckets as grouped by {@link #orderSymbols()} (binutils' layout, smaller). */
        private void writeGnuHash(int symbolCount) {
            int at = Math.toIntExact(placements.get(".gnu.hash").offset());
            int shift = 6;
            int bits = wordSize * 8;
            out.putInt(at, gnuBuckets);
            out.putInt(at + 4, gnuSymOffset);
            out.putInt(at + 8, 1);
            out.putInt(at + 12, shift);
            long bloom = 0;
            long[] bucket = new long[gnuBuckets];
            int chainAt = at + 16 + wordSize + 4 * gnuBuckets;
            for (int i = gnuSymOffset; i < symbolCount; i++) {
                long h = gnuHash(ordered.get(i - 1).name());
                bloom |= 1L << (h % bits);
                bloom |= 1L << ((h >>> shift) % bits);
                int b = (int) (h % gnuBuckets);
                if (bucket[b] == 0) {
                    bucket[b] = i;
                }
                boolean last = i + 1 == symbolCount || gnuHash(ordered.get(i).name()) % gnuBuckets != b;
                out.putInt(chainAt + 4 * (i - gnuSymOffset), (int) ((h & ~1L) | (last ? 1 : 0)));
            }
            word(at + 16, bloom);
            for (int b = 0; b < gnuBuckets; b++) {
                out.putInt(at + 16 + wordSize + 4 * b, (int) bucket[b]);
            }
        }

        private void writeSymbols() {
            int at = Math.toIntExact(placements.get(".dynsym").offset()) + symSize;
            for (SymbolSpec symbol : ordered) {
                long value;
                int sectionIndex;
                if (symbol.absolute()) {
                    value = symbol.offset();
                    sectionIndex = 0xfff1; // SHN_ABS
                } else if (symbol.section() == null) {
                    value = 0;
                    sectionIndex = 0; // SHN_UNDEF
                } else {
                    value = address(symbol.section()) + symbol.offset();
                    sectionIndex = new ArrayList<>(placements.keySet()).indexOf(symbol.section()) + 1;
                }
                symbolValues.put(symbol.name(), value);
                int info = (symbol.binding() << 4) | symbol.type();
                out.putInt(at, (int) dynstr.offsetOf(symbol.name()));
                if (is64) {
                    out.put(at + 4, (byte) info);
                    out.putShort(at + 6, (short) sectionIndex);
                    out.putLong(at + 8, value);
                    out.putLong(at + 16, symbol.size());
                } else {
                    out.putInt(at + 4, (int) value);
                    out.putInt(at + 8, (int) symbol.size());
                    out.put(at + 12, (byte) info);
                    out.putShort(at + 14, (short) sectionIndex);
                }
                at += symSize;
            }
        }

        /** versym per symbol; verdef: base entry (the soname, VER_FLG_BASE) then one node per version, 28 bytes each. */
        private void writeVersions() {
            int at = Math.toIntExact(placements.get(".gnu.version").offset()) + 2;
            for (SymbolSpec symbol : ordered) {
                int index = symbol.version() == null ? (symbol.defined() ? 1 : 0)
                        : versions.indexOf(symbol.version()) + 2;
                if (index == 1 && symbol.version() != null) {
                    throw new IllegalStateException("unknown version " + symbol.version());
                }
                if (symbol.versym() != SymbolSpec.AUTO_VERSYM) {
                    index = symbol.versym();
                }
                out.putShort(at, (short) (index | (symbol.hidden() ? 0x8000 : 0)));
                at += 2;
            }
            at = Math.toIntExact(placements.get(".gnu.version_d").offset());
            List<String> names = new ArrayList<>();
            names.add(soname);
            names.addAll(versions);
            for (int i = 0; i < names.size(); i++) {
                boolean last = i + 1 == names.size();
                out.putShort(at, (short) 1); // vd_version
                out.putShort(at + 2, (short) (i == 0 ? 1 : 0)); // vd_flags: VER_FLG_BASE
                out.putShort(at + 4, (short) (i + 1)); // vd_ndx
                out.putShort(at + 6, (short) 1); // vd_cnt
                out.putInt(at + 8, (int) sysvHash(names.get(i)));
                out.putInt(at + 12, 20); // vd_aux
                out.putInt(at + 16, last ? 0 : 28); // vd_next
                out.putInt(at + 20, (int) dynstr.offsetOf(names.get(i))); // vda_name
                out.putInt(at + 24, 0); // vda_next
                at += 28;
            }
        }

        private void writeDynamic() {
            int at = Math.toIntExact(placements.get(".dynamic").offset());
            Map<Long, Long> addresses = new HashMap<>();
            addresses.put(DT_HASH, sysv ? address(".hash") : 0);
            addresses.put(DT_GNU_HASH, gnu ? address(".gnu.hash") : 0);
            addresses.put(DT_STRTAB, address(".dynstr"));
            addresses.put(DT_SYMTAB, address(".dynsym"));
            addresses.put(DT_VERDEF, versioned ? address(".gnu.version_d") : 0);
            addresses.put(DT_VERSYM, versioned ? address(".gnu.version") : 0);
            for (long[] entry : dynamicEntries()) {
                long value = addresses.getOrDefault(entry[0], entry[1]);
                at = word(word(at, entry[0]), value);
            }
        }

        private void writeNotes() {
            if (notes.isEmpty()) {
                return;
            }
            int at = Math.toIntExact(placements.get(".note").offset());
            for (Note note : notes) {
                byte[] name = (note.owner() + "\0").getBytes(StandardCharsets.UTF_8);
                out.putInt(at, name.length);
                out.putInt(at + 4, note.descriptor().length);
                out.putInt(at + 8, note.type());
                out.put(at + 12, name);
                out.put(at + 12 + (int) align(name.length, 4), note.descriptor());
                at += (int) noteSize(note);
            }
        }

        private long noteSize(Note note) {
            return 12 + align(note.owner().length() + 1, 4) + align(note.descriptor().length, 4);
        }

        private void writeSectionHeaders(long tableOffset) {
            List<String> names = new ArrayList<>(placements.keySet());
            int at = Math.toIntExact(tableOffset) + shdrSize;
            Map<String, ExtraSection> extras = new HashMap<>();
            extraSections.forEach(e -> extras.put(e.name(), e));
            int dynsymIndex = names.indexOf(".dynsym") + 1;
            int dynstrIndex = names.indexOf(".dynstr") + 1;
            for (String name : names) {
                Placement p = placements.get(name);
                long type;
                long flags = SHF_ALLOC;
                int link = 0;
                int info = 0;
                long alignment = wordSize;
                long entrySize = 0;
                switch (name) {
                    case ".hash" -> { type = SHT_HASH; link = dynsymIndex; entrySize = sysvWord; }
                    case ".gnu.hash" -> { type = SHT_GNU_HASH; link = dynsymIndex; }
                    case ".dynsym" -> {
                        type = SHT_DYNSYM;
                        link = dynstrIndex;
                        info = 1 + (int) ordered.stream().filter(s -> s.binding() == STB_LOCAL).count();
                        entrySize = symSize;
                    }
                    case ".dynstr" -> { type = SHT_STRTAB; alignment = 1; }
                    case ".gnu.version" -> { type = SHT_GNU_VERSYM; link = dynsymIndex; alignment = 2; entrySize = 2; }
                    case ".gnu.version_d" -> { type = SHT_GNU_VERDEF; link = dynstrIndex; info = versions.size() + 1; }
                    case ".dynamic" -> { type = SHT_DYNAMIC; flags |= SHF_WRITE; link = dynstrIndex; entrySize = dynSize; }
                    case ".note" -> { type = SHT_NOTE; alignment = 4; }
                    case ".text" -> { type = SHT_PROGBITS; flags |= SHF_EXECINSTR; alignment = 16; }
                    case ".shstrtab" -> { type = SHT_STRTAB; flags = 0; alignment = 1; }
                    default -> {
                        ExtraSection extra = extras.get(name);
                        type = extra.type();
                        flags = extra.flags();
                        alignment = extra.alignment();
                    }
                }
                sectionHeader(at, shstrtab.offsetOf(name), type, flags, p, link, info, alignment, entrySize);
                at += shdrSize;
            }
        }

        private void sectionHeader(int at, long name, long type, long flags, Placement p, int link, int info,
                long alignment, long entrySize) {
            out.putInt(at, (int) name);
            out.putInt(at + 4, (int) type);
            int next = word(at + 8, flags);
            next = word(next, p.address());
            next = word(next, p.offset());
            next = word(next, p.size());
            out.putInt(next, link);
            out.putInt(next + 4, info);
            word(word(next + 8, alignment), entrySize);
        }

        private int word(int at, long value) {
            if (is64) {
                out.putLong(at, value);
            } else {
                out.putInt(at, (int) value);
            }
            return at + wordSize;
        }
    }

    private static long align(long value, long alignment) {
        return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
    }

    /** A NUL-separated string table that starts with the empty string and stores each string once. */
    private static final class StringTable {
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StringTable() {
            bytes.write(0);
        }

        void add(String value) {
            if (!value.isEmpty() && !offsets.containsKey(value)) {
                offsets.put(value, bytes.size());
                bytes.writeBytes((value + "\0").getBytes(StandardCharsets.UTF_8));
            }
        }

        long offsetOf(String value) {
            return value.isEmpty() ? 0 : offsets.get(value);
        }

        int size() {
            return bytes.size();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
