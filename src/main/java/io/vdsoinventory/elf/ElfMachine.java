package io.vdsoinventory.elf;

/**
 * e_machine. An open value type: codes without a constant here are kept as numbers, never rejected.
 * (Skeleton: the implementer adds the constants and names the vDSO architectures need.)
 */
public record ElfMachine(int code) {
    public static final ElfMachine EM_386 = new ElfMachine(3);
    public static final ElfMachine EM_X86_64 = new ElfMachine(62);
    public static final ElfMachine EM_AARCH64 = new ElfMachine(183);
}
