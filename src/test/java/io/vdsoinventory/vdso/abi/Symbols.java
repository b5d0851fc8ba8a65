package io.vdsoinventory.vdso.abi;

import io.vdsoinventory.elf.ElfSymbol;

/** Builds .dynsym entries the way the ELF reader reports them (binding, section index, version). */
final class Symbols {

    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_ABS = 0xfff1;

    private Symbols() {
    }

    /** A function defined in section {@code section}, e.g. {@code __vdso_time@@LINUX_2.6} in .text. */
    static ElfSymbol function(String name, int binding, int section, String version) {
        return new ElfSymbol(0, name, 0x700, 40, STT_FUNC, binding, 0, section, version, false);
    }

    /** The GLOBAL function {@code name@@version} in section 11. */
    static ElfSymbol global(String name, String version) {
        return function(name, STB_GLOBAL, 11, version);
    }

    /** The absolute OBJECT symbol ld emits for a version definition (readelf: {@code ABS LINUX_2.6}). */
    static ElfSymbol versionNode(String node) {
        return new ElfSymbol(0, node, 0, 0, STT_OBJECT, STB_GLOBAL, 0, SHN_ABS, node, false);
    }

    /** Index 0 of every .dynsym: LOCAL, undefined, no name. */
    static ElfSymbol nullSymbol() {
        return new ElfSymbol(0, "", 0, 0, 0, STB_LOCAL, 0, SHN_UNDEF, null, false);
    }

    /** A GLOBAL symbol the image imports rather than defines. */
    static ElfSymbol undefined(String name) {
        return new ElfSymbol(0, name, 0, 0, STT_FUNC, STB_GLOBAL, 0, SHN_UNDEF, null, false);
    }
}
