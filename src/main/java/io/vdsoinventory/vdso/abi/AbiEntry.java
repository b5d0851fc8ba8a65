package io.vdsoinventory.vdso.abi;

import java.util.List;
import java.util.Objects;

/**
 * The expected vDSO of one ABI (x86_64, the AArch32 compat vDSO of arm64 kernels, mips n32, ...).
 *
 * @param id           the catalog's name for the ABI ({@code arm64-compat})
 * @param archKeys     the {@link io.vdsoinventory.vdso.Arch} names an image of this ABI gets from its ELF header
 * @param sonames      the DT_SONAME / base version definition names the kernel links it with
 * @param versionNodes the version definitions (besides the base one) its linker script declares
 * @param symbols      every symbol it may export, over all kernel releases and configurations catalogued
 * @param source       the kernel files (linker script, Makefile) these facts come from
 */
public record AbiEntry(
        String id,
        List<String> archKeys,
        List<String> sonames,
        List<String> versionNodes,
        List<AbiSymbol> symbols,
        String source) {

    public AbiEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        archKeys = List.copyOf(archKeys);
        sonames = List.copyOf(sonames);
        versionNodes = List.copyOf(versionNodes);
        symbols = List.copyOf(symbols);
    }
}
