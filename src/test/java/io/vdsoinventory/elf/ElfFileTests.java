package io.vdsoinventory.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.HashStyle;
import io.vdsoinventory.testing.ElfImageBuilder.Image;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElfFileTests {

    private static final byte[] BUILD_ID = {0x53, 0x4a, (byte) 0xa0, 0x08, 0x27, (byte) 0x96, 0x04, 0x0c,
            (byte) 0xc1, (byte) 0xc2, 0x75, 0x6d, (byte) 0xcc, (byte) 0xbc, 0x71, 0x6c, 0x38, 0x19, 0x0a, 0x27};

    /** Every combination of class, byte order, hash tables, versioning and section headers. */
    static List<Arguments> layouts() {
        List<Arguments> layouts = new ArrayList<>();
        for (boolean is64 : new boolean[] {true, false}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (HashStyle hash : HashStyle.values()) {
                    for (boolean versioned : new boolean[] {true, false}) {
                        for (boolean sections : new boolean[] {true, false}) {
                            layouts.add(Arguments.of(is64, order, hash, versioned, sections));
                        }
                    }
                }
            }
        }
        return layouts;
    }

    @ParameterizedTest(name = "64-bit={0} {1} hash={2} versioned={3} sections={4}")
    @MethodSource("layouts")
    void readsSymbolsVersionsAndNotesOfEveryLayout(boolean is64, ByteOrder order, HashStyle hash,
            boolean versioned, boolean sections) throws ElfFormatException {
        int machine = is64 ? ElfImageBuilder.EM_AARCH64 : ElfImageBuilder.EM_ARM;
        ElfImageBuilder builder = (is64 ? ElfImageBuilder.elf64(order, machine) : ElfImageBuilder.elf32(order, machine))
                .hash(hash).sectionHeaders(sections).buildId(BUILD_ID).linuxVersionNote(0x060100);
        String version = versioned ? "LINUX_2.6.39" : null;
        if (versioned) {
            builder.versions("LINUX_2.6.39");
        }
        builder.symbol(SymbolSpec.function("__kernel_clock_gettime", version))
                .symbol(SymbolSpec.function("clock_gettime", version).weak())
                .symbol(SymbolSpec.function("number_of_the_beast", version).size(666));
        Image image = builder.build();

        ElfFile elf = ElfFile.parse(image.bytes());

        assertThat(elf.header().elfClass()).isEqualTo(is64 ? ElfClass.ELFCLASS64 : ElfClass.ELFCLASS32);
        assertThat(elf.header().byteOrder()).isEqualTo(order);
        assertThat(elf.header().machine().code()).isEqualTo(machine);
        assertThat(elf.header().type()).isEqualTo(ElfType.ET_DYN);
        assertThat(elf.sections().isEmpty()).isEqualTo(!sections);
        assertThat(elf.sectionProblem()).isEmpty();
        assertThat(elf.soname()).contains("linux-vdso.so.1");
        assertThat(elf.dynamicSymbols())
                .extracting(ElfSymbol::index, ElfSymbol::name, ElfSymbol::value, ElfSymbol::type,
                        ElfSymbol::binding, ElfSymbol::version, ElfSymbol::hidden, ElfSymbol::isDefined)
                .containsExactlyInAnyOrder(
                        tuple(image.dynsymIndex("__kernel_clock_gettime"), "__kernel_clock_gettime",
                                image.symbolValue("__kernel_clock_gettime"), SymbolType.STT_FUNC,
                                SymbolBinding.STB_GLOBAL, version, false, true),
                        tuple(image.dynsymIndex("clock_gettime"), "clock_gettime",
                                image.symbolValue("clock_gettime"), SymbolType.STT_FUNC, SymbolBinding.STB_WEAK,
                                version, false, true),
                        tuple(image.dynsymIndex("number_of_the_beast"), "number_of_the_beast",
                                image.symbolValue("number_of_the_beast"), SymbolType.STT_FUNC,
                                SymbolBinding.STB_GLOBAL, version, false, true));
        assertThat(elf.dynamicSymbols()).filteredOn(s -> s.name().equals("number_of_the_beast"))
                .singleElement().extracting(ElfSymbol::size).isEqualTo(666L);
        assertThat(elf.versionNames()).isEqualTo(versioned ? List.of("LINUX_2.6.39") : List.of());
        assertThat(elf.buildId()).contains("534aa0082796040cc1c2756dccbc716c38190a27");
        assertThat(elf.notes()).extracting(ElfNote::name, ElfNote::type)
                .containsExactly(tuple("GNU", 3L), tuple("Linux", 0L));
        assertThat(elf.sysvHashSymbolCount().isPresent()).isEqualTo(hash != HashStyle.GNU);
        assertThat(elf.gnuHashSymbolCount().isPresent()).isEqualTo(hash != HashStyle.SYSV);
        elf.sysvHashSymbolCount().ifPresent(count -> assertThat(count).isEqualTo(4));
        elf.gnuHashSymbolCount().ifPresent(count -> assertThat(count).isEqualTo(4));
        assertThat(elf.fileExtent()).isEqualTo(image.elfExtent()).isEqualTo(image.bytes().length);
    }

    @Test
    void versionDefinitionsKeepTheBaseEntryFlaggedAndSymbolsKeepTheHiddenBit() throws ElfFormatException {
        Image image = ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_PPC64)
                .versions("LINUX_2.6.15", "LINUX_5.10")
                .symbol(SymbolSpec.function("__kernel_clock_gettime", "LINUX_2.6.15"))
                .symbol(SymbolSpec.function("__kernel_old", "LINUX_5.10").hiddenVersion())
                .symbol(SymbolSpec.absolute("LINUX_2.6.15", "LINUX_2.6.15"))
                .build();

        ElfFile elf = ElfFile.parse(image.bytes());

        assertThat(elf.versionDefinitions())
                .extracting(VersionDefinition::name, VersionDefinition::isBase, VersionDefinition::versionIndex)
                .containsExactly(tuple("linux-vdso.so.1", true, 1), tuple("LINUX_2.6.15", false, 2),
                        tuple("LINUX_5.10", false, 3));
        assertThat(elf.versionNames()).containsExactly("LINUX_2.6.15", "LINUX_5.10");
        assertThat(elf.dynamicSymbols()).extracting(ElfSymbol::name, ElfSymbol::version, ElfSymbol::hidden,
                        ElfSymbol::sectionIndex)
                .contains(tuple("__kernel_old", "LINUX_5.10", true, sectionIndexOf(elf, ".text")),
                        tuple("LINUX_2.6.15", "LINUX_2.6.15", false, ElfSymbol.SHN_ABS));
    }

    @Test
    void s390xSysvHashWordsAreEightBytes() throws ElfFormatException {
        Image image = ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390).hash(HashStyle.SYSV)
                .sectionHeaders(false).versions("LINUX_2.6.29")
                .symbol(SymbolSpec.function("__kernel_gettimeofday", "LINUX_2.6.29"))
                .symbol(SymbolSpec.function("__kernel_clock_gettime", "LINUX_2.6.29"))
                .build();

        ElfFile elf = ElfFile.parse(image.bytes());

        assertThat(elf.sysvHashSymbolCount()).hasValue(3);
        assertThat(elf.dynamicSymbols()).extracting(ElfSymbol::name)
                .containsExactlyInAnyOrder("__kernel_gettimeofday", "__kernel_clock_gettime");
    }

    @Test
    void sectionsAndAddressesLeadToTheSameBytes() throws ElfFormatException {
        byte[] alternatives = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Image image = ElfImageBuilder.x86_64Vdso().loadAddress(0xffffffffff700000L)
                .section(".altinstructions", alternatives, ElfImageBuilder.SHF_ALLOC)
                .section(".comment", "GCC".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0)
                .pagePadding(8192)
                .build();

        ElfFile elf = ElfFile.parse(image.bytes());

        SectionHeader section = elf.section(".altinstructions").orElseThrow();
        assertThat(elf.contents(section)).isEqualTo(alternatives);
        assertThat(section.address()).isEqualTo(image.section(".altinstructions").address());
        assertThat(elf.fileOffsetOf(section.address())).hasValue(image.section(".altinstructions").offset());
        assertThat(elf.fileOffsetOf(0x1000)).isEmpty();
        assertThat(elf.section(".comment").map(SectionHeader::isAllocated)).contains(false);
        assertThat(elf.size()).isEqualTo(8192);
        assertThat(elf.fileExtent()).isEqualTo(image.elfExtent()).isLessThan(8192);
        assertThat(elf.dynamicSymbols()).extracting(ElfSymbol::value)
                .allMatch(value -> value == 0 || value >= 0xffffffffff700000L);
    }

    @Test
    void contentsRefusesASectionOfAnotherFile() throws ElfFormatException {
        ElfFile elf = ElfFile.parse(ElfImageBuilder.x86_64Vdso().build().bytes());
        SectionHeader foreign = new SectionHeader(1, ".text", SectionType.SHT_PROGBITS, 0, 0, 0, 1 << 20, 0, 0, 1, 0);

        assertThatThrownBy(() -> elf.contents(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a section of this file");
    }

    @Test
    void dynamicEntriesEndWithDtNull() throws ElfFormatException {
        ElfFile elf = ElfFile.parse(ElfImageBuilder.x86_64Vdso().build().bytes());

        assertThat(elf.dynamicEntries()).extracting(DynamicEntry::tag).startsWith(DynamicTag.DT_SONAME)
                .contains(DynamicTag.DT_HASH, DynamicTag.DT_GNU_HASH, DynamicTag.DT_VERDEF, DynamicTag.DT_VERSYM)
                .endsWith(DynamicTag.DT_NULL);
    }

    @Test
    void imageWithoutDynamicTableHasNoSymbolsButIsReadable() throws ElfFormatException {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build().copy();
        // Turn PT_DYNAMIC (program header 1) into PT_NULL: nothing describes the symbols any more.
        bytes[64 + 56] = 0;

        ElfFile elf = ElfFile.parse(bytes);

        assertThat(elf.dynamicEntries()).isEmpty();
        assertThat(elf.dynamicSymbols()).isEmpty();
        assertThat(elf.soname()).isEmpty();
        assertThat(elf.buildId()).isPresent();
    }

    @Test
    void damagedSectionHeadersFallBackToTheDynamicTable() throws ElfFormatException {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        bytes[62] = 99; // e_shstrndx beyond e_shnum

        ElfFile elf = ElfFile.parse(bytes);

        assertThat(elf.sections()).isEmpty();
        assertThat(elf.sectionProblem()).get().extracting(ElfFormatException::reason).asString()
                .contains("e_shstrndx 99");
        assertThat(elf.dynamicSymbols()).isEqualTo(ElfFile.parse(image.bytes()).dynamicSymbols());
        assertThat(elf.versionNames()).containsExactly("LINUX_2.6");
    }

    @Test
    void sectionsThatDisagreeWithTheDynamicTableAreIgnored() throws ElfFormatException {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        // .dynsym is section 3: move its sh_addr by one symbol, away from DT_SYMTAB.
        int shAddr = (int) image.sectionHeaderOffset() + 3 * 64 + 16;
        bytes[shAddr] += 24;

        ElfFile elf = ElfFile.parse(bytes);

        assertThat(elf.sections()).isEmpty();
        assertThat(elf.sectionProblem()).get().extracting(ElfFormatException::reason).asString()
                .contains("DT_SYMTAB", "disagrees with .dynsym sh_addr");
        assertThat(elf.dynamicSymbols()).hasSize(11);
    }

    @Test
    void versymCountsOnlyWithVerdefAsInParseVdso() throws ElfFormatException {
        Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build();
        byte[] bytes = image.copy();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ElfImageBuilder.Placement dynamic = image.section(".dynamic");
        for (int at = (int) dynamic.offset(); at < dynamic.offset() + dynamic.size(); at += 16) {
            if (buffer.getLong(at) == DynamicTag.DT_VERDEF.code()) {
                buffer.putLong(at, 0x6ffffdffL); // an unrelated tag: DT_VERSYM stays, DT_VERDEF is gone
            }
        }

        ElfFile elf = ElfFile.parse(bytes);

        assertThat(elf.dynamicEntries()).extracting(DynamicEntry::tag).contains(DynamicTag.DT_VERSYM)
                .doesNotContain(DynamicTag.DT_VERDEF);
        assertThat(elf.versionDefinitions()).isEmpty();
        assertThat(elf.dynamicSymbols()).hasSize(11).allSatisfy(symbol -> assertThat(symbol.version()).isNull());
    }

    @Test
    void unknownCodesAreDataNotErrors() throws ElfFormatException {
        Image image = ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, 0x1234)
                .symbol(SymbolSpec.function("odd", null).type(13).binding(10))
                .build();

        ElfFile elf = ElfFile.parse(image.bytes());

        assertThat(elf.header().machine().name()).isEqualTo("4660");
        ElfSymbol odd = elf.dynamicSymbols().get(0);
        assertThat(odd.type().readelfName()).isEqualTo("<processor specific>: 13");
        assertThat(odd.binding().readelfName()).isEqualTo("UNIQUE");
        assertThat(odd.version()).isNull();
    }

    @Test
    void namesFollowTheSpecAndReadelf() {
        assertThat(ElfMachine.EM_LOONGARCH.code()).isEqualTo(258);
        assertThat(new ElfMachine(62).name()).isEqualTo("EM_X86_64");
        assertThat(new ElfMachine(22).hasWideSysvHashWords(ElfClass.ELFCLASS64)).isTrue();
        assertThat(new ElfMachine(22).hasWideSysvHashWords(ElfClass.ELFCLASS32)).isFalse();
        assertThat(new ElfMachine(62).hasWideSysvHashWords(ElfClass.ELFCLASS64)).isFalse();
        assertThat(new ProgramType(0x6474e550L).name()).isEqualTo("PT_GNU_EH_FRAME");
        assertThat(new ProgramType(0x70000001L).name()).isEqualTo("0x70000001");
        assertThat(new SectionType(0x6ffffffdL)).isEqualTo(SectionType.SHT_GNU_verdef);
        assertThat(new DynamicTag(0x6ffffef5L).name()).isEqualTo("DT_GNU_HASH");
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 10, 11, 15).stream().map(c -> new SymbolType(c).readelfName()))
                .containsExactly("NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE", "COMMON", "TLS", "IFUNC",
                        "<OS specific>: 11", "<processor specific>: 15");
        assertThat(List.of(0, 1, 2, 10, 7).stream().map(c -> new SymbolBinding(c).readelfName()))
                .containsExactly("LOCAL", "GLOBAL", "WEAK", "UNIQUE", "<unknown>: 7");
        assertThat(new SymbolVisibility(2).readelfName()).isEqualTo("HIDDEN");
    }

    @Test
    void sectionSymbolsShowTheirSectionsNameAndEverySymbolKeepsItsVersymIndex() throws ElfFormatException {
        ElfImageBuilder.Image image = ElfImageBuilder.x86_64Vdso()
                .symbol(SymbolSpec.sectionSymbol(".text"))
                .symbol(SymbolSpec.undefined("foo").versym(1).hiddenVersion())
                .build();
        ElfFile elf = ElfFile.parse(image.bytes());

        ElfSymbol text = elf.dynamicSymbols().get(image.dynsymIndex("") - 1);
        assertThat(text.name()).isEmpty();
        assertThat(text.displayName()).isEqualTo(".text");
        assertThat(text.sectionIndex()).isEqualTo(sectionIndexOf(elf, ".text"));
        assertThat(text.versionIndex()).isZero();
        ElfSymbol foo = elf.dynamicSymbols().get(image.dynsymIndex("foo") - 1);
        assertThat(foo.displayName()).isEqualTo("foo");
        assertThat(foo.versionIndex()).isEqualTo(1);
        assertThat(foo.hidden()).isTrue();
        assertThat(foo.version()).isNull();
        ElfSymbol clock = elf.dynamicSymbols().get(image.dynsymIndex("__vdso_clock_gettime") - 1);
        assertThat(clock.versionIndex()).isEqualTo(2);
    }

    @Test
    void sectionSymbolWithoutSectionHeadersKeepsItsOwnEmptyName() throws ElfFormatException {
        ElfImageBuilder.Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false)
                .symbol(SymbolSpec.sectionSymbol(".text")).build();
        ElfFile elf = ElfFile.parse(image.bytes());

        ElfSymbol text = elf.dynamicSymbols().get(image.dynsymIndex("") - 1);
        assertThat(text.displayName()).isEmpty();
    }

    @Test
    void imageWithoutVersionsHasNoVersymIndexes() throws ElfFormatException {
        ElfFile elf = ElfFile.parse(ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_X86_64)
                .symbol(SymbolSpec.function("f", null)).build().bytes());

        assertThat(elf.dynamicSymbols()).extracting(ElfSymbol::versionIndex).containsOnly(ElfSymbol.NO_VERSYM);
    }

    private static int sectionIndexOf(ElfFile elf, String name) {
        return elf.section(name).map(SectionHeader::index).orElse(-1);
    }
}
