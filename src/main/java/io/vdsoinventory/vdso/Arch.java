package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfClass;

/**
 * The short architecture/ABI name of an image, from e_machine and the ELF class: one name per vDSO ABI a kernel
 * can map (x86_64 and x32 share EM_X86_64; s390x and the 31-bit compat vDSO share EM_S390). Unknown machines
 * keep their number ({@code em-1234}) rather than being rejected.
 */
public final class Arch {

    private Arch() {
    }

    /** The short name for e_machine {@code machine} in ELF class {@code elfClass}. */
    public static String name(int machine, ElfClass elfClass) {
        boolean is64 = elfClass == ElfClass.ELFCLASS64;
        switch (machine) {
            case 3: return "i386";                       // EM_386
            case 8: return is64 ? "mips64" : "mips";     // EM_MIPS
            case 20: return "ppc";                       // EM_PPC
            case 21: return "ppc64";                     // EM_PPC64
            case 22: return is64 ? "s390x" : "s390";     // EM_S390
            case 40: return "arm";                       // EM_ARM (also the AArch32 compat vDSO of arm64 kernels)
            case 42: return "sh";                        // EM_SH
            case 50: return "ia64";                      // EM_IA_64
            case 62: return is64 ? "x86_64" : "x32";     // EM_X86_64
            case 183: return "aarch64";                  // EM_AARCH64
            case 243: return is64 ? "riscv64" : "riscv32"; // EM_RISCV
            case 258: return "loongarch64";              // EM_LOONGARCH
            default: return "em-" + machine;
        }
    }
}
