package io.vdsoinventory.elf;

/**
 * e_machine (System V ABI, "ELF Header"; numbers from the kernel's include/uapi/linux/elf-em.h). An open value type:
 * codes without a constant here are data, kept and printed as numbers, never rejected.
 */
public record ElfMachine(int code) {

    private static final CodeNames NAMES = new CodeNames(10);

    public static final ElfMachine EM_NONE = new ElfMachine(NAMES.add(0, "EM_NONE"));
    public static final ElfMachine EM_SPARC = new ElfMachine(NAMES.add(2, "EM_SPARC"));
    public static final ElfMachine EM_386 = new ElfMachine(NAMES.add(3, "EM_386"));
    public static final ElfMachine EM_MIPS = new ElfMachine(NAMES.add(8, "EM_MIPS"));
    public static final ElfMachine EM_PARISC = new ElfMachine(NAMES.add(15, "EM_PARISC"));
    public static final ElfMachine EM_SPARC32PLUS = new ElfMachine(NAMES.add(18, "EM_SPARC32PLUS"));
    public static final ElfMachine EM_PPC = new ElfMachine(NAMES.add(20, "EM_PPC"));
    public static final ElfMachine EM_PPC64 = new ElfMachine(NAMES.add(21, "EM_PPC64"));
    public static final ElfMachine EM_S390 = new ElfMachine(NAMES.add(22, "EM_S390"));
    public static final ElfMachine EM_ARM = new ElfMachine(NAMES.add(40, "EM_ARM"));
    public static final ElfMachine EM_ALPHA = new ElfMachine(NAMES.add(41, "EM_ALPHA"));
    public static final ElfMachine EM_SH = new ElfMachine(NAMES.add(42, "EM_SH"));
    public static final ElfMachine EM_SPARCV9 = new ElfMachine(NAMES.add(43, "EM_SPARCV9"));
    public static final ElfMachine EM_IA_64 = new ElfMachine(NAMES.add(50, "EM_IA_64"));
    public static final ElfMachine EM_X86_64 = new ElfMachine(NAMES.add(62, "EM_X86_64"));
    public static final ElfMachine EM_AARCH64 = new ElfMachine(NAMES.add(183, "EM_AARCH64"));
    public static final ElfMachine EM_CSKY = new ElfMachine(NAMES.add(252, "EM_CSKY"));
    public static final ElfMachine EM_RISCV = new ElfMachine(NAMES.add(243, "EM_RISCV"));
    public static final ElfMachine EM_LOONGARCH = new ElfMachine(NAMES.add(258, "EM_LOONGARCH"));
    /** The number alpha toolchains used before EM_ALPHA was assigned (elf-em.h EM_ALPHA 0x9026). */
    public static final ElfMachine EM_ALPHA_OLD = new ElfMachine(NAMES.add(0x9026, "EM_ALPHA_OLD"));

    /** The spec name ({@code EM_X86_64}), or the decimal number for a code without a constant. */
    public String name() {
        return NAMES.nameOf(code);
    }

    /**
     * Whether .hash (DT_HASH) uses 8-byte words in a file of this class: s390x and alpha do, against the gABI
     * (kernel tools/testing/selftests/vDSO/parse_vdso.c, ELF_HASH_ENTRY).
     */
    public boolean hasWideSysvHashWords(ElfClass elfClass) {
        return elfClass == ElfClass.ELFCLASS64 && (code == EM_S390.code || code == EM_ALPHA.code
                || code == EM_ALPHA_OLD.code);
    }

    @Override
    public String toString() {
        return name();
    }
}
