package io.vdsoinventory.vdso.abi;

import java.util.List;
import java.util.Map;

/**
 * The export lists of the kernel's vDSO version scripts, written out by hand from the files named here (with
 * every Kconfig gate on), independently of abi-catalog.txt: the catalog must accept each of them.
 */
final class KernelLinkerScripts {

    /** One vDSO as its version script declares it: the arch key its image gets, soname and node -> names. */
    record Script(String abiId, String arch, String soname, Map<String, List<String>> symbolsByNode, String file) {
    }

    static final List<Script> ALL = List.of(
            new Script("x86_64", "x86_64", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "clock_gettime", "__vdso_clock_gettime", "gettimeofday", "__vdso_gettimeofday", "getcpu",
                    "__vdso_getcpu", "time", "__vdso_time", "clock_getres", "__vdso_clock_getres",
                    "__vdso_sgx_enter_enclave", "getrandom", "__vdso_getrandom",
                    "__vdso_futex_robust_list64_try_unlock", "__vdso_futex_robust_list32_try_unlock")),
                    "arch/x86/entry/vdso/vdso64/vdso64.lds.S"),
            new Script("x32", "x32", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_getcpu", "__vdso_time",
                    "__vdso_clock_getres", "__vdso_futex_robust_list64_try_unlock",
                    "__vdso_futex_robust_list32_try_unlock")),
                    "arch/x86/entry/vdso/vdso64/vdsox32.lds.S"),
            new Script("i386", "i386", "linux-gate.so.1", Map.of(
                    "LINUX_2.6", List.of("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                            "__vdso_clock_getres", "__vdso_clock_gettime64", "__vdso_clock_getres_time64",
                            "__vdso_getcpu", "__vdso_futex_robust_list32_try_unlock"),
                    "LINUX_2.5", List.of("__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn")),
                    "arch/x86/entry/vdso/vdso32/vdso32.lds.S"),
            new Script("aarch64", "aarch64", "linux-vdso.so.1", Map.of("LINUX_2.6.39", List.of(
                    "__kernel_rt_sigreturn", "__kernel_gettimeofday", "__kernel_clock_gettime",
                    "__kernel_clock_getres", "__kernel_getrandom")),
                    "arch/arm64/kernel/vdso/vdso.lds.S"),
            new Script("arm64-compat", "arm", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__kernel_sigreturn_arm",
                    "__kernel_sigreturn_thumb", "__kernel_rt_sigreturn_arm", "__kernel_rt_sigreturn_thumb",
                    "__vdso_clock_gettime64", "__vdso_clock_getres_time64")),
                    "arch/arm64/kernel/vdso32/vdso.lds.S (with the 2025-12 clock_getres_time64 patch)"),
            new Script("arm", "arm", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_clock_gettime64",
                    "__vdso_clock_getres_time64")),
                    "arch/arm/vdso/vdso.lds.S (with the 2025-12 clock_getres_time64 patch)"),
            new Script("ppc64", "ppc64", "linux-vdso64.so.1", Map.of("LINUX_2.6.15", List.of(
                    "__kernel_get_syscall_map", "__kernel_gettimeofday", "__kernel_clock_gettime",
                    "__kernel_clock_getres", "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp_rt64",
                    "__kernel_getcpu", "__kernel_time", "__kernel_getrandom")),
                    "arch/powerpc/kernel/vdso/vdso64.lds.S"),
            new Script("ppc64", "ppc64", "linux-vdso64.so.1", Map.of("LINUX_2.6.15", List.of(
                    "__kernel_clock_getres", "__kernel_clock_gettime", "__kernel_datapage_offset",
                    "__kernel_get_syscall_map", "__kernel_get_tbfreq", "__kernel_getcpu", "__kernel_gettimeofday",
                    "__kernel_sigtramp_rt64", "__kernel_sync_dicache", "__kernel_sync_dicache_p5")),
                    "man7/vdso.7, ppc/64 table (kernels before the removal of __kernel_datapage_offset)"),
            new Script("ppc32", "ppc", "linux-vdso32.so.1", Map.of("LINUX_2.6.15", List.of(
                    "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_time",
                    "__kernel_get_syscall_map", "__kernel_clock_gettime64", "__kernel_clock_getres_time64",
                    "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp32", "__kernel_sigtramp_rt32",
                    "__kernel_getcpu", "__kernel_getrandom")),
                    "arch/powerpc/kernel/vdso/vdso32.lds.S"),
            new Script("s390x", "s390x", "linux-vdso64.so.1", Map.of("LINUX_2.6.29", List.of(
                    "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_getcpu",
                    "__kernel_restart_syscall", "__kernel_rt_sigreturn", "__kernel_sigreturn", "__kernel_getrandom")),
                    "arch/s390/kernel/vdso/vdso.lds.S"),
            new Script("s390-compat", "s390", "linux-vdso32.so.1", Map.of("LINUX_2.6.29", List.of(
                    "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_getcpu")),
                    "arch/s390/kernel/vdso32/vdso32.lds.S"),
            new Script("riscv64", "riscv64", "linux-vdso.so.1", Map.of("LINUX_4.15", List.of(
                    "__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_getres",
                    "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe", "__vdso_getrandom")),
                    "arch/riscv/kernel/vdso/vdso.lds.S (CONFIG_64BIT, getrandom patch applied)"),
            new Script("riscv32", "riscv32", "linux-vdso.so.1", Map.of("LINUX_4.15", List.of(
                    "__vdso_rt_sigreturn", "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe")),
                    "arch/riscv/kernel/vdso/vdso.lds.S (no CONFIG_64BIT: no HAS_VGETTIMEOFDAY)"),
            new Script("riscv32-compat", "riscv32", "linux-compat_vdso.so.1", Map.of("LINUX_4.15", List.of(
                    "__vdso_rt_sigreturn", "__vdso_getcpu", "__vdso_flush_icache")),
                    "arch/riscv/kernel/compat_vdso/compat_vdso.lds.S (COMPAT_VDSO)"),
            new Script("loongarch64", "loongarch64", "linux-vdso.so.1", Map.of("LINUX_5.10", List.of(
                    "__vdso_getcpu", "__vdso_clock_getres", "__vdso_clock_gettime", "__vdso_gettimeofday",
                    "__vdso_getrandom", "__vdso_rt_sigreturn")),
                    "arch/loongarch/vdso/vdso.lds.S"),
            new Script("mips-o32", "mips", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_clock_gettime64",
                    "__vdso_clock_getres_time64")),
                    "arch/mips/vdso/vdso.lds.S (_MIPS_SIM_ABI32, with the clock_getres_time64 patch)"),
            new Script("mips-n32", "mips", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_clock_gettime64",
                    "__vdso_clock_getres_time64")),
                    "arch/mips/vdso/vdso.lds.S (_MIPS_SIM_NABI32, with the clock_getres_time64 patch)"),
            new Script("mips-n64", "mips64", "linux-vdso.so.1", Map.of("LINUX_2.6", List.of(
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres")),
                    "arch/mips/vdso/vdso.lds.S (_MIPS_SIM_ABI64)"));

    private KernelLinkerScripts() {
    }
}
