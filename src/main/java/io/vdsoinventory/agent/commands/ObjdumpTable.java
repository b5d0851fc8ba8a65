package io.vdsoinventory.agent.commands;

import io.vdsoinventory.elf.ElfClass;
import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfMachine;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SectionHeader;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.elf.SymbolType;
import io.vdsoinventory.elf.SymbolVisibility;
import io.vdsoinventory.elf.VersionDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic symbol table laid out as {@code objdump -T} (GNU binutils) prints it, so that the two can be diffed
 * line by line. Layout from bfd/elf.c bfd_elf_print_symbol and bfd/syms.c bfd_print_symbol_vandf: value, seven
 * flag characters, section name, a tab, size, version (in parentheses when hidden), st_other, name.
 */
final class ObjdumpTable {

    static final String HEADING = "DYNAMIC SYMBOL TABLE:";

    /** First reserved st_shndx (include/elf/common.h SHN_LORESERVE); bfd reads the reserved ones as absolute. */
    private static final int SHN_LORESERVE = 0xff00;
    /** include/elf/arm.h: a Thumb function in objects of old (pre-EABI) ARM toolchains. */
    private static final int STT_ARM_TFUNC = 13;

    private ObjdumpTable() {
    }

    /** The heading and one line per dynamic symbol, in .dynsym order as objdump prints them. */
    static List<String> lines(ElfFile elf) {
        int digits = elf.header().elfClass() == ElfClass.ELFCLASS64 ? 16 : 8;
        List<SectionHeader> sections = elf.sections();
        List<VersionDefinition> definitions = elf.versionDefinitions();
        List<String> lines = new ArrayList<>();
        lines.add(HEADING);
        boolean arm = elf.header().machine().equals(ElfMachine.EM_ARM);
        for (ElfSymbol symbol : elf.dynamicSymbols()) {
            lines.add(line(arm ? asArmBfdReadsIt(symbol) : symbol, sections, definitions, digits));
        }
        return lines;
    }

    /**
     * bfd's elf32_arm_swap_symbol_in: the Thumb bit (bit 0) of an STT_FUNC or STT_GNU_IFUNC value is cleared, and
     * an STT_ARM_TFUNC symbol reads as STT_FUNC, so objdump shows the instruction's address as a function.
     */
    static ElfSymbol asArmBfdReadsIt(ElfSymbol symbol) {
        SymbolType type = symbol.type();
        long value = symbol.value();
        if (type.equals(SymbolType.STT_FUNC) || type.equals(SymbolType.STT_GNU_IFUNC)) {
            value &= ~1L;
        } else if (type.code() == STT_ARM_TFUNC) {
            type = SymbolType.STT_FUNC;
        } else {
            return symbol;
        }
        return new ElfSymbol(symbol.index(), symbol.name(), value, symbol.size(), type, symbol.binding(),
                symbol.visibility(), symbol.sectionIndex(), symbol.version(), symbol.hidden(), symbol.versionIndex(),
                symbol.displayName());
    }

    static String line(ElfSymbol symbol, List<SectionHeader> sections, int digits) {
        return line(symbol, sections, List.of(), digits);
    }

    static String line(ElfSymbol symbol, List<SectionHeader> sections, List<VersionDefinition> definitions,
            int digits) {
        StringBuilder line = new StringBuilder();
        line.append(hex(symbol.value(), digits)).append(' ').append(flags(symbol)).append(' ')
                .append(sectionName(symbol.sectionIndex(), sections)).append('\t').append(hex(symbol.size(), digits));
        String version = versionColumn(symbol, definitions);
        if (version != null) {
            line.append(version(version, symbol.hidden()));
        }
        line.append(visibility(symbol.visibility())).append(' ').append(symbol.displayName());
        return line.toString();
    }

    /**
     * What bfd's _bfd_elf_get_symbol_version_string prints for a symbol of an image with versym and verdef: the
     * version name, "" for versym 0 (local), "Base" for versym 1 when the entry with index 1 is the base entry
     * (or there is none); null (no column) for an image without versions.
     */
    static String versionColumn(ElfSymbol symbol, List<VersionDefinition> definitions) {
        if (symbol.version() != null) {
            return symbol.version();
        }
        if (symbol.versionIndex() == ElfSymbol.NO_VERSYM || definitions.isEmpty()) {
            return null;
        }
        if (symbol.versionIndex() == 0) {
            return "";
        }
        if (symbol.versionIndex() == 1) {
            return definitions.stream().filter(definition -> definition.versionIndex() == 1).findFirst()
                    .filter(definition -> definition.flags() != VersionDefinition.VER_FLG_BASE)
                    .map(VersionDefinition::name).orElse("Base");
        }
        // a needed version (verneed) of an undefined symbol, which the reader does not resolve
        return null;
    }

    /**
     * bfd_print_symbol_vandf: binding, weak, constructor, warning, indirect, debugging/dynamic, kind. bfd's
     * elf_slurp_symbol_table sets BSF_GLOBAL only for a GLOBAL symbol that is neither undefined nor common, so
     * those show a blank scope.
     */
    static String flags(ElfSymbol symbol) {
        SymbolBinding binding = symbol.binding();
        SymbolType type = symbol.type();
        boolean debugging = type.equals(SymbolType.STT_SECTION) || type.equals(SymbolType.STT_FILE);
        boolean global = binding.equals(SymbolBinding.STB_GLOBAL) && symbol.isDefined()
                && symbol.sectionIndex() != ElfSymbol.SHN_COMMON;
        char scope = binding.equals(SymbolBinding.STB_LOCAL) ? 'l'
                : global ? 'g'
                : binding.equals(SymbolBinding.STB_GNU_UNIQUE) ? 'u' : ' ';
        char weak = binding.equals(SymbolBinding.STB_WEAK) ? 'w' : ' ';
        char indirect = type.equals(SymbolType.STT_GNU_IFUNC) ? 'i' : ' ';
        char origin = debugging ? 'd' : 'D';
        char kind = type.equals(SymbolType.STT_FUNC) ? 'F'
                : type.equals(SymbolType.STT_FILE) ? 'f'
                : type.equals(SymbolType.STT_OBJECT) || type.equals(SymbolType.STT_COMMON) ? 'O' : ' ';
        return new String(new char[] {scope, weak, ' ', ' ', indirect, origin, kind});
    }

    /** bfd's pseudo-section names for reserved indexes; an index without a section header reads as absolute. */
    static String sectionName(int index, List<SectionHeader> sections) {
        if (index == ElfSymbol.SHN_UNDEF) {
            return "*UND*";
        }
        if (index == ElfSymbol.SHN_COMMON) {
            return "*COM*";
        }
        if (index >= SHN_LORESERVE) {
            return "*ABS*";
        }
        return sections.stream().filter(section -> section.index() == index).findFirst()
                .map(SectionHeader::name).orElse("*ABS*");
    }

    /** Default versions pad to 11 columns; hidden ones print in parentheses, padded to the same width. */
    static String version(String version, boolean hidden) {
        if (!hidden) {
            return String.format("  %-11s", version);
        }
        return " (" + version + ")" + " ".repeat(Math.max(0, 10 - version.length()));
    }

    /**
     * bfd prints st_other when it is not 0; the reader keeps its visibility bits, the only ones a vDSO uses (a
     * non-visibility bit would print as {@code 0x..} in objdump and is not shown here).
     */
    static String visibility(SymbolVisibility visibility) {
        switch (visibility.code()) {
            case 1: return " .internal";
            case 2: return " .hidden";
            case 3: return " .protected";
            default: return "";
        }
    }

    private static String hex(long value, int digits) {
        String hex = Long.toHexString(value);
        return hex.length() >= digits ? hex : "0".repeat(digits - hex.length()) + hex;
    }
}
