package io.vdsoinventory.agent.commands;

import static io.vdsoinventory.testing.ElfImageBuilder.STT_NOTYPE;
import static io.vdsoinventory.testing.ElfImageBuilder.STT_OBJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.HashStyle;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code agent symbols FILE} line by line against GNU {@code objdump -T FILE} on images shaped like the vDSO of every
 * architecture whose kernel sources have a {@code vdso*.lds.S} (class, byte order, e_machine, e_flags, hash style
 * and the version node and symbols the script exports), each once as declared and once with the STT_SECTION and
 * undefined symbols older linkers left in .dynsym. Needs objdump for every target (Debian's binutils-multiarch,
 * which .ci/run installs); skipped only when the objdump on PATH is missing or cannot read foreign targets.
 */
class SymbolsObjdumpConformanceTests {

    /** bfd targets of architectures that only a multi-target objdump (binutils-multiarch) reads. */
    private static final List<String> FOREIGN_TARGETS = List.of("elf64-littleaarch64", "elf32-powerpc",
            "elf64-s390", "elf32-tradbigmips", "elf64-littleriscv", "elf64-sparc");

    private static final int EF_ARM_EABI_VER5 = 0x05000000;
    private static final int EF_ARM_ABI_FLOAT_SOFT = 0x200;
    private static final int EF_ARM_BE8 = 0x00800000;
    private static final int EF_MIPS_NOREORDER_PIC_CPIC = 0x7;
    private static final int EF_MIPS_ABI2 = 0x20;
    private static final int EF_MIPS_ABI_O32 = 0x1000;
    private static final int EF_MIPS_ARCH_32R2 = 0x70000000;
    private static final int EF_MIPS_ARCH_64R2 = 0x80000000;
    private static final int EF_RISCV_RVC_FLOAT_ABI_DOUBLE = 0x5;
    private static final int EF_LOONGARCH_OBJABI_V1_DOUBLE_FLOAT = 0x43;
    private static final int EF_CSKY_ABIV2 = 0x20000000;
    private static final int EF_SPARC_32PLUS = 0x100;
    private static final int EF_PARISC_ARCH_1_1 = 0x210;
    private static final int EF_PARISC_ARCH_2_0 = 0x214;
    private static final int EF_PPC64_ABI_V1 = 1;
    private static final int EF_PPC64_ABI_V2 = 2;
    private static final int ELFOSABI_GNU = 3;

    private static String objdump;
    private static String unavailable;

    @TempDir
    Path dir;

    /**
     * One architecture's vDSO as its linker script makes it.
     *
     * @param lds the kernel's linker script the shape follows
     * @param version the version node of the script's VERSION block (the first one when there are two)
     * @param functions the names the script exports in {@code version}
     * @param more further setup: a second version node, weak aliases, ...
     */
    record Shape(String lds, boolean is64, ByteOrder order, int machine, int flags, HashStyle hash, String version,
            List<String> functions, UnaryOperator<ElfImageBuilder> more) {

        ElfImageBuilder builder() {
            ElfImageBuilder builder = is64 ? ElfImageBuilder.elf64(order, machine) : ElfImageBuilder.elf32(order, machine);
            builder.flags(flags).hash(hash).versions(version);
            for (String function : functions) {
                builder.symbol(SymbolSpec.function(function, version).size(0x40 + function.length()));
            }
            builder.symbol(SymbolSpec.absolute(version, version));
            return more.apply(builder.buildId(new byte[20]).linuxVersionNote(0x060c00));
        }

        /** Plus what older ld versions left in .dynsym: section symbols and undefined references. */
        ElfImageBuilder withSectionAndUndefinedSymbols() {
            return builder().section(".rodata", new byte[32], ElfImageBuilder.SHF_ALLOC)
                    .symbol(SymbolSpec.sectionSymbol(".text"))
                    .symbol(SymbolSpec.sectionSymbol(".rodata").versym(1))
                    .symbol(SymbolSpec.undefined("__undefined_base").versym(1).type(ElfImageBuilder.STT_FUNC))
                    .symbol(SymbolSpec.undefined("__undefined_local"))
                    .symbol(SymbolSpec.undefined("__undefined_weak").weak().type(STT_OBJECT).versym(1))
                    .symbol(SymbolSpec.undefined("__undefined_hidden").versym(1).hiddenVersion())
                    .symbol(SymbolSpec.function("__local_function", null).binding(ElfImageBuilder.STB_LOCAL)
                            .versym(0));
        }

        @Override
        public String toString() {
            return lds + " (ELF" + (is64 ? 64 : 32) + (order == ByteOrder.BIG_ENDIAN ? " BE" : " LE") + ")";
        }
    }

    static Stream<Shape> shapes() {
        List<String> x86 = List.of("clock_gettime", "gettimeofday", "getcpu", "time", "clock_getres", "getrandom");
        List<String> x86Vdso = new ArrayList<>();
        x86.forEach(name -> x86Vdso.add("__vdso_" + name));
        x86Vdso.add("__vdso_sgx_enter_enclave");
        UnaryOperator<ElfImageBuilder> x86WeakAliases = builder -> {
            x86.forEach(name -> builder.symbol(SymbolSpec.function(name, "LINUX_2.6").weak()));
            return builder;
        };
        List<String> ppc32 = List.of("__kernel_get_syscall_map", "__kernel_gettimeofday", "__kernel_clock_gettime",
                "__kernel_clock_gettime64", "__kernel_clock_getres", "__kernel_time", "__kernel_get_tbfreq",
                "__kernel_sync_dicache", "__kernel_sigtramp32", "__kernel_sigtramp_rt32", "__kernel_getcpu",
                "__kernel_getrandom");
        List<String> ppc64 = List.of("__kernel_get_syscall_map", "__kernel_gettimeofday", "__kernel_clock_gettime",
                "__kernel_clock_getres", "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp_rt64",
                "__kernel_getcpu", "__kernel_time", "__kernel_getrandom");
        List<String> s390 = List.of("__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres",
                "__kernel_getcpu", "__kernel_restart_syscall", "__kernel_rt_sigreturn", "__kernel_sigreturn");
        List<String> s390x = new ArrayList<>(s390);
        s390x.add("__kernel_getrandom");
        List<String> riscv = List.of("__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime",
                "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe");
        List<String> riscv64 = new ArrayList<>(riscv);
        riscv64.add("__vdso_getrandom");
        List<String> mips32 = List.of("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres",
                "__vdso_clock_gettime64");
        List<String> mips64 = mips32.subList(0, 3);
        List<String> armTime = List.of("__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_gettime64",
                "__vdso_clock_getres");
        List<String> sparc = List.of("clock_gettime", "__vdso_clock_gettime", "__vdso_clock_gettime_stick",
                "gettimeofday", "__vdso_gettimeofday", "__vdso_gettimeofday_stick");
        UnaryOperator<ElfImageBuilder> none = UnaryOperator.identity();
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        ByteOrder be = ByteOrder.BIG_ENDIAN;
        int mipsO32 = EF_MIPS_ARCH_32R2 | EF_MIPS_ABI_O32 | EF_MIPS_NOREORDER_PIC_CPIC;
        int mipsN32 = EF_MIPS_ARCH_64R2 | EF_MIPS_ABI2 | EF_MIPS_NOREORDER_PIC_CPIC;
        int mipsN64 = EF_MIPS_ARCH_64R2 | EF_MIPS_NOREORDER_PIC_CPIC;
        return Stream.of(
                new Shape("arch/x86/entry/vdso/vdso64/vdso64.lds.S", true, le, ElfImageBuilder.EM_X86_64, 0,
                        HashStyle.BOTH, "LINUX_2.6", x86Vdso, x86WeakAliases),
                new Shape("arch/x86/entry/vdso/vdso64/vdsox32.lds.S", false, le, ElfImageBuilder.EM_X86_64, 0,
                        HashStyle.BOTH, "LINUX_2.6", x86Vdso.subList(0, 5), none),
                new Shape("arch/x86/entry/vdso/vdso32/vdso32.lds.S", false, le, ElfImageBuilder.EM_386, 0,
                        HashStyle.BOTH, "LINUX_2.6", List.of("__vdso_clock_gettime", "__vdso_gettimeofday",
                                "__vdso_time", "__vdso_clock_getres", "__vdso_clock_gettime64", "__vdso_getcpu"),
                        builder -> builder.versions("LINUX_2.5")
                                .symbol(SymbolSpec.function("__kernel_vsyscall", "LINUX_2.5"))
                                .symbol(SymbolSpec.function("__kernel_sigreturn", "LINUX_2.5"))
                                .symbol(SymbolSpec.function("__kernel_rt_sigreturn", "LINUX_2.5"))
                                .symbol(SymbolSpec.absolute("LINUX_2.5", "LINUX_2.5"))),
                new Shape("arch/x86/um/vdso/vdso.lds.S", true, le, ElfImageBuilder.EM_X86_64, 0, HashStyle.BOTH,
                        "LINUX_2.6", List.of("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                                "__vdso_getcpu"), none),
                new Shape("arch/arm/vdso/vdso.lds.S", false, le, ElfImageBuilder.EM_ARM, EF_ARM_EABI_VER5,
                        HashStyle.BOTH, "LINUX_2.6", armTime,
                        // a Thumb-2 kernel's vDSO: function addresses with bit 0 set; an old toolchain's STT_ARM_TFUNC
                        builder -> builder.symbol(SymbolSpec.function("__vdso_thumb", "LINUX_2.6").at(0x41))
                                .symbol(SymbolSpec.function("__vdso_tfunc", "LINUX_2.6").at(0x51).type(13))
                                .symbol(SymbolSpec.function("__vdso_thumb_data", "LINUX_2.6").at(0x61)
                                        .type(STT_OBJECT))),
                new Shape("arch/arm/vdso/vdso.lds.S", false, be, ElfImageBuilder.EM_ARM,
                        EF_ARM_EABI_VER5 | EF_ARM_BE8, HashStyle.BOTH, "LINUX_2.6", armTime, none),
                new Shape("arch/arm64/kernel/vdso/vdso.lds.S", true, le, ElfImageBuilder.EM_AARCH64, 0,
                        HashStyle.SYSV, "LINUX_2.6.39", List.of("__kernel_gettimeofday", "__kernel_clock_gettime",
                                "__kernel_clock_getres", "__kernel_getrandom"),
                        builder -> builder.symbol(SymbolSpec.function("__kernel_rt_sigreturn", "LINUX_2.6.39")
                                .type(STT_NOTYPE).size(8))),
                new Shape("arch/arm64/kernel/vdso/vdso.lds.S", true, be, ElfImageBuilder.EM_AARCH64, 0,
                        HashStyle.SYSV, "LINUX_2.6.39", List.of("__kernel_gettimeofday", "__kernel_clock_gettime",
                                "__kernel_clock_getres"), none),
                new Shape("arch/arm64/kernel/vdso32/vdso.lds.S", false, le, ElfImageBuilder.EM_ARM,
                        EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT, HashStyle.BOTH, "LINUX_2.6", armTime, none),
                new Shape("arch/powerpc/kernel/vdso/vdso32.lds.S", false, be, ElfImageBuilder.EM_PPC, 0,
                        HashStyle.BOTH, "LINUX_2.6.15", ppc32, none),
                new Shape("arch/powerpc/kernel/vdso/vdso32.lds.S", false, le, ElfImageBuilder.EM_PPC, 0,
                        HashStyle.BOTH, "LINUX_2.6.15", ppc32, none),
                new Shape("arch/powerpc/kernel/vdso/vdso64.lds.S", true, be, ElfImageBuilder.EM_PPC64,
                        EF_PPC64_ABI_V1, HashStyle.BOTH, "LINUX_2.6.15", ppc64, none),
                new Shape("arch/powerpc/kernel/vdso/vdso64.lds.S", true, le, ElfImageBuilder.EM_PPC64,
                        EF_PPC64_ABI_V2, HashStyle.BOTH, "LINUX_2.6.15", ppc64, none),
                new Shape("arch/s390/kernel/vdso64/vdso64.lds.S", true, be, ElfImageBuilder.EM_S390, 0,
                        HashStyle.BOTH, "LINUX_2.6.29", s390x, none),
                new Shape("arch/s390/kernel/vdso32/vdso32.lds.S", false, be, ElfImageBuilder.EM_S390, 0,
                        HashStyle.BOTH, "LINUX_2.6.29", s390, none),
                new Shape("arch/riscv/kernel/vdso/vdso.lds.S", true, le, ElfImageBuilder.EM_RISCV,
                        EF_RISCV_RVC_FLOAT_ABI_DOUBLE, HashStyle.BOTH, "LINUX_4.15", riscv64, none),
                new Shape("arch/riscv/kernel/compat_vdso/compat_vdso.lds.S", false, le, ElfImageBuilder.EM_RISCV,
                        EF_RISCV_RVC_FLOAT_ABI_DOUBLE, HashStyle.BOTH, "LINUX_4.15", riscv, none),
                new Shape("arch/loongarch/vdso/vdso.lds.S", true, le, ElfImageBuilder.EM_LOONGARCH,
                        EF_LOONGARCH_OBJABI_V1_DOUBLE_FLOAT, HashStyle.BOTH, "LINUX_5.10", List.of("__vdso_getcpu",
                                "__vdso_clock_getres", "__vdso_clock_gettime", "__vdso_gettimeofday",
                                "__vdso_getrandom", "__vdso_rt_sigreturn"), none),
                new Shape("arch/mips/vdso/vdso.lds.S", false, le, ElfImageBuilder.EM_MIPS, mipsO32,
                        HashStyle.SYSV, "LINUX_2.6", mips32, none),
                new Shape("arch/mips/vdso/vdso.lds.S", false, be, ElfImageBuilder.EM_MIPS, mipsO32,
                        HashStyle.SYSV, "LINUX_2.6", mips32, none),
                new Shape("arch/mips/vdso/vdso.lds.S", false, be, ElfImageBuilder.EM_MIPS, mipsN32,
                        HashStyle.SYSV, "LINUX_2.6", mips32, none),
                new Shape("arch/mips/vdso/vdso.lds.S", true, le, ElfImageBuilder.EM_MIPS, mipsN64,
                        HashStyle.SYSV, "LINUX_2.6", mips64, none),
                new Shape("arch/mips/vdso/vdso.lds.S", true, be, ElfImageBuilder.EM_MIPS, mipsN64,
                        HashStyle.SYSV, "LINUX_2.6", mips64, none),
                // DISABLE_MIPS_VDSO (a toolchain that cannot build it): the node without global symbols
                new Shape("arch/mips/vdso/vdso.lds.S", false, be, ElfImageBuilder.EM_MIPS, mipsO32,
                        HashStyle.SYSV, "LINUX_2.6", List.of(), none),
                new Shape("arch/csky/kernel/vdso/vdso.lds.S", false, le, ElfImageBuilder.EM_CSKY, EF_CSKY_ABIV2,
                        HashStyle.BOTH, "LINUX_5.10", List.of("__vdso_rt_sigreturn", "__vdso_clock_gettime",
                                "__vdso_clock_gettime64", "__vdso_gettimeofday", "__vdso_clock_getres"), none),
                new Shape("arch/sparc/vdso/vdso.lds.S", true, be, ElfImageBuilder.EM_SPARCV9, 0, HashStyle.BOTH,
                        "LINUX_2.6", sparc, none),
                new Shape("arch/sparc/vdso/vdso32/vdso32.lds.S", false, be, ElfImageBuilder.EM_SPARC32PLUS,
                        EF_SPARC_32PLUS, HashStyle.BOTH, "LINUX_2.6", sparc, none),
                // OUTPUT_FORMAT("elf32-hppa-linux") / ("elf64-hppa-linux"): EI_OSABI ELFOSABI_GNU
                new Shape("arch/parisc/kernel/vdso32/vdso32.lds.S", false, be, ElfImageBuilder.EM_PARISC,
                        EF_PARISC_ARCH_1_1, HashStyle.BOTH, "LINUX_5.18", List.of("__kernel_sigtramp_rt32",
                                "__kernel_restart_syscall32"), builder -> builder.osabi(ELFOSABI_GNU)),
                new Shape("arch/parisc/kernel/vdso64/vdso64.lds.S", true, be, ElfImageBuilder.EM_PARISC,
                        EF_PARISC_ARCH_2_0, HashStyle.BOTH, "LINUX_5.18", List.of("__kernel_sigtramp_rt64",
                                "__kernel_restart_syscall64"), builder -> builder.osabi(ELFOSABI_GNU)),
                // removed in Linux 5.18 with the architecture, still in kernels that run
                new Shape("arch/nds32/kernel/vdso/vdso.lds.S", false, le, ElfImageBuilder.EM_NDS32, 0,
                        HashStyle.BOTH, "LINUX_4", List.of("__kernel_rt_sigreturn", "__vdso_gettimeofday",
                                "__vdso_clock_getres", "__vdso_clock_gettime"), none));
    }

    /** Once per class: why the objdump on PATH cannot serve, or null when it reads every target. */
    @BeforeAll
    static void multiTargetObjdump() throws InterruptedException {
        objdump = "objdump";
        String hint = ": install Debian's binutils-multiarch (apt-get install binutils-multiarch, as .ci/run does) to "
                + "compare agent symbols with objdump -T on every vDSO architecture";
        String targets;
        try {
            targets = run(List.of(objdump, "-i"));
        } catch (IOException missing) {
            unavailable = "objdump is not on PATH (" + missing.getMessage() + ")" + hint;
            return;
        }
        List<String> missing = FOREIGN_TARGETS.stream().filter(target -> !targets.contains(target)).toList();
        unavailable = missing.isEmpty() ? null : "the objdump on PATH reads no " + missing + hint;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void symbolsEqualObjdumpOnTheImageTheScriptDeclares(Shape shape) throws Exception {
        compare(shape, shape.builder().build(), "declared.so");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void symbolsEqualObjdumpWithSectionAndUndefinedSymbols(Shape shape) throws Exception {
        compare(shape, shape.withSectionAndUndefinedSymbols().build(), "extras.so");
    }

    private void compare(Shape shape, ElfImageBuilder.Image image, String name) throws Exception {
        Assumptions.assumeTrue(unavailable == null, unavailable);
        Path file = dir.resolve(name);
        Files.write(file, image.bytes());

        String theirs = run(List.of(objdump, "-T", file.toString()));
        CliRun ours = CliRun.execute("symbols", file.toString());

        assertThat(ours.exitCode()).as(ours.err()).isZero();
        List<String> table = objdumpTable(theirs);
        assertThat(table).as("objdump -T of %s:%n%s", shape, theirs).hasSizeGreaterThan(1);
        assertThat(nonBlank(ours.out())).as("agent symbols vs objdump -T of %s (%s)", shape, formatLine(theirs))
                .containsExactlyElementsOf(table);
    }

    /** The lines from the "DYNAMIC SYMBOL TABLE:" heading on, blank ones left out (as scripts/conformance.py). */
    private static List<String> objdumpTable(String output) {
        List<String> lines = nonBlank(output);
        int start = lines.indexOf(ObjdumpTable.HEADING);
        return start < 0 ? List.of() : lines.subList(start, lines.size());
    }

    private static String formatLine(String output) {
        return nonBlank(output).stream().filter(line -> line.contains("file format")).findFirst().orElse("?").trim();
    }

    private static List<String> nonBlank(String text) {
        return Arrays.stream(text.split("\n")).filter(line -> !line.isBlank()).toList();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish in 30 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
