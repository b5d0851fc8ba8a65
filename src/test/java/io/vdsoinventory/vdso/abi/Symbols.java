package io.vdsoinventory.vdso.abi;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.elf.SymbolType;
import io.vdsoinventory.elf.SymbolVisibility;

/** Builds .dynsym entries the way the ELF reader reports them (binding, section index, version). */
final class Symbols {

    static final SymbolBinding STB_LOCAL = SymbolBinding.STB_LOCAL;
    static final SymbolBinding STB_GLOBAL = SymbolBinding.STB_GLOBAL;
    static final SymbolBinding STB_WEAK = SymbolBinding.STB_WEAK;

    private Symbols() {
    }

    /** A function defined in section {@code section}, e.g. {@code __vdso_time@@LINUX_2.6} in .text. */
    static ElfSymbol function(String name, SymbolBinding binding, int section, String version) {
        return new ElfSymbol(0, name, 0x700, 40, SymbolType.STT_FUNC, binding, SymbolVisibility.STV_DEFAULT, section,
                version, false);
    }

    /** The GLOBAL function {@code name@@version} in section 11. */
    static ElfSymbol global(String name, String version) {
        return function(name, STB_GLOBAL, 11, version);
    }

    /** The absolute OBJECT symbol ld emits for a version definition (readelf: {@code ABS LINUX_2.6}). */
    static ElfSymbol versionNode(String node) {
        return new ElfSymbol(0, node, 0, 0, SymbolType.STT_OBJECT, STB_GLOBAL, SymbolVisibility.STV_DEFAULT,
                ElfSymbol.SHN_ABS, node, false);
    }

    /** Index 0 of every .dynsym: LOCAL, undefined, no name. */
    static ElfSymbol nullSymbol() {
        return new ElfSymbol(0, "", 0, 0, SymbolType.STT_NOTYPE, STB_LOCAL, SymbolVisibility.STV_DEFAULT,
                ElfSymbol.SHN_UNDEF, null, false);
    }

    /** A GLOBAL symbol the image imports rather than defines. */
    static ElfSymbol undefined(String name) {
        return new ElfSymbol(0, name, 0, 0, SymbolType.STT_FUNC, STB_GLOBAL, SymbolVisibility.STV_DEFAULT,
                ElfSymbol.SHN_UNDEF, null, false);
    }
}
