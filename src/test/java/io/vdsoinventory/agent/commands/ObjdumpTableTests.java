package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SectionHeader;
import io.vdsoinventory.elf.SectionType;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.elf.SymbolType;
import io.vdsoinventory.elf.SymbolVisibility;
import io.vdsoinventory.elf.VersionDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected lines are objdump -T (binutils 2.40) output for the same symbols. */
class ObjdumpTableTests {

    private static final SymbolBinding STB_GLOBAL = SymbolBinding.STB_GLOBAL;
    private static final SymbolBinding STB_WEAK = SymbolBinding.STB_WEAK;
    private static final SymbolType STT_NOTYPE = SymbolType.STT_NOTYPE;
    private static final SymbolType STT_OBJECT = SymbolType.STT_OBJECT;
    private static final SymbolType STT_FUNC = SymbolType.STT_FUNC;
    private static final int SHN_ABS = ElfSymbol.SHN_ABS;
    private static final List<VersionDefinition> DEFINITIONS = List.of(
            new VersionDefinition(0, 1, VersionDefinition.VER_FLG_BASE, 1, 0, "linux-vdso.so.1", List.of()),
            new VersionDefinition(28, 1, 0, 2, 0, "LINUX_2.6", List.of()));

    private static final List<SectionHeader> SECTIONS = List.of(
            new SectionHeader(7, ".text", SectionType.SHT_PROGBITS, 6, 0x2c0, 0x2c0, 0x500, 0, 0, 16, 0),
            new SectionHeader(11, ".data", SectionType.SHT_PROGBITS, 3, 0x4000, 0x3000, 4, 0, 0, 4, 0));

    private static ElfSymbol symbol(String name, long value, long size, SymbolType type, SymbolBinding binding,
                                    int visibility, int shndx, String version, boolean hidden) {
        return new ElfSymbol(1, name, value, size, type, binding, new SymbolVisibility(visibility), shndx, version,
                hidden);
    }

    @Test
    void lineOfAGlobalFunctionWithItsDefaultVersion() {
        assertThat(ObjdumpTable.line(symbol("__vdso_clock_gettime", 0xaf0, 0x386, STT_FUNC, STB_GLOBAL, 0, 7,
                "LINUX_2.6", false), SECTIONS, 16))
                .isEqualTo("0000000000000af0 g    DF .text\t0000000000000386  LINUX_2.6   __vdso_clock_gettime");
    }

    @Test
    void lineOfAWeakAlias() {
        assertThat(ObjdumpTable.line(symbol("clock_gettime", 0xaf0, 0x386, STT_FUNC, STB_WEAK, 0, 7,
                "LINUX_2.6", false), SECTIONS, 16))
                .isEqualTo("0000000000000af0  w   DF .text\t0000000000000386  LINUX_2.6   clock_gettime");
    }

    @Test
    void lineOfTheVersionDefinitionSymbolIsAbsoluteObject() {
        assertThat(ObjdumpTable.line(symbol("LINUX_2.6.39", 0, 0, STT_OBJECT, STB_GLOBAL, 0, SHN_ABS,
                "LINUX_2.6.39", false), SECTIONS, 16))
                .isEqualTo("0000000000000000 g    DO *ABS*\t0000000000000000  LINUX_2.6.39 LINUX_2.6.39");
    }

    @Test
    void lineOfANotypeSymbolHasNoKindFlag() {
        assertThat(ObjdumpTable.line(symbol("__kernel_rt_sigreturn", 0x7ac, 8, STT_NOTYPE, STB_GLOBAL, 0, 7,
                "LINUX_2.6.39", false), SECTIONS, 16))
                .isEqualTo("00000000000007ac g    D  .text\t0000000000000008  LINUX_2.6.39 __kernel_rt_sigreturn");
    }

    @Test
    void lineOfAnElf32SymbolUsesEightDigits() {
        assertThat(ObjdumpTable.line(symbol("__kernel_vsyscall", 0x540, 0xd, STT_FUNC, STB_GLOBAL, 0, 7,
                "LINUX_2.5", false), SECTIONS, 8))
                .isEqualTo("00000540 g    DF .text\t0000000d  LINUX_2.5   __kernel_vsyscall");
    }

    @Test
    void lineOfAHiddenVersionPutsItInParentheses() {
        assertThat(ObjdumpTable.line(symbol("foo", 0x1000, 0xb, STT_FUNC, STB_GLOBAL, 0, 7, "VERS_1", true),
                SECTIONS, 16))
                .isEqualTo("0000000000001000 g    DF .text\t000000000000000b (VERS_1)     foo");
    }

    @Test
    void lineOfAProtectedObjectShowsItsVisibility() {
        assertThat(ObjdumpTable.line(symbol("prot", 0x4000, 4, STT_OBJECT, STB_GLOBAL, 3, 11, "VERS_1", false),
                SECTIONS, 16))
                .isEqualTo("0000000000004000 g    DO .data\t0000000000000004  VERS_1      .protected prot");
    }

    @Test
    void lineOfAnUnversionedUndefinedSymbol() {
        assertThat(ObjdumpTable.line(symbol("missing", 0, 0, STT_NOTYPE, STB_GLOBAL, 0, 0, null, false),
                SECTIONS, 16))
                .isEqualTo("0000000000000000      D  *UND*\t0000000000000000 missing");
    }

    @Test
    void sectionNameWithoutSectionHeadersFallsBackToAbsolute() {
        assertThat(ObjdumpTable.sectionName(7, List.of())).isEqualTo("*ABS*");
        assertThat(ObjdumpTable.sectionName(0xfff2, SECTIONS)).isEqualTo("*COM*");
    }

    private static ElfSymbol versioned(String name, String displayName, SymbolType type, SymbolBinding binding,
            int shndx, long value, int versym, boolean hidden) {
        return new ElfSymbol(1, name, value, 0, type, binding, SymbolVisibility.STV_DEFAULT, shndx, null, hidden,
                versym, displayName);
    }

    @Test
    void sectionSymbolShowsItsSectionsNameAndAnEmptyVersionForVersym0() {
        ElfSymbol text = versioned("", ".text", SymbolType.STT_SECTION, SymbolBinding.STB_LOCAL, 7, 0x2c0, 0, false);

        assertThat(ObjdumpTable.line(text, SECTIONS, DEFINITIONS, 8))
                .isEqualTo("000002c0 l    d  .text\t00000000              .text");
    }

    @Test
    void undefinedGlobalHasNoScopeFlagAndTheBaseVersionForVersym1() {
        ElfSymbol foo = versioned("foo", "foo", STT_FUNC, STB_GLOBAL, 0, 0, 1, false);
        ElfSymbol hidden = versioned("bar", "bar", STT_NOTYPE, STB_GLOBAL, 0, 0, 1, true);

        assertThat(ObjdumpTable.line(foo, SECTIONS, DEFINITIONS, 16))
                .isEqualTo("0000000000000000      DF *UND*\t0000000000000000  Base        foo");
        assertThat(ObjdumpTable.line(hidden, SECTIONS, DEFINITIONS, 8))
                .isEqualTo("00000000      D  *UND*\t00000000 (Base)       bar");
    }

    @Test
    void noVersionColumnWithoutVersionDefinitionsOrVersym() {
        ElfSymbol foo = versioned("foo", "foo", STT_FUNC, STB_GLOBAL, 0, 0, 1, false);
        ElfSymbol noVersym = versioned("foo", "foo", STT_FUNC, STB_GLOBAL, 0, 0, ElfSymbol.NO_VERSYM, false);

        assertThat(ObjdumpTable.versionColumn(foo, List.of())).isNull();
        assertThat(ObjdumpTable.versionColumn(noVersym, DEFINITIONS)).isNull();
    }

    @Test
    void armThumbFunctionShowsWithoutTheThumbBit() {
        ElfSymbol thumb = versioned("__vdso_thumb", "__vdso_thumb", STT_FUNC, STB_GLOBAL, 7, 0x481, 1, false);
        ElfSymbol data = versioned("odd_data", "odd_data", STT_OBJECT, STB_GLOBAL, 7, 0x4a1, 1, false);

        assertThat(ObjdumpTable.asArmBfdReadsIt(thumb).value()).isEqualTo(0x480);
        assertThat(ObjdumpTable.asArmBfdReadsIt(data).value()).isEqualTo(0x4a1);
    }
}
