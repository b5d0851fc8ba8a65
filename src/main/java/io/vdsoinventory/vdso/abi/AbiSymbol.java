package io.vdsoinventory.vdso.abi;

import java.util.Objects;
import java.util.Optional;

/**
 * One symbol an ABI's vDSO may export, as its linker script lists it.
 *
 * @param name          the exported name ({@code __vdso_clock_gettime})
 * @param versionNode   the version node it is defined under ({@code LINUX_2.6})
 * @param since         the mainline release that first exported it
 * @param sinceCertainty whether {@code since} is confirmed by {@code sinceSource}
 * @param removedIn     the release that stopped exporting it, when it is gone from current kernels
 * @param gate          the Kconfig option or build condition without which it is not exported
 *                      ({@code CONFIG_X86_SGX}); empty when always exported
 * @param source        the kernel file (path, optionally {@code @commit}) whose version script lists it
 * @param sinceSource   where {@code since} comes from
 */
public record AbiSymbol(
        String name,
        String versionNode,
        KernelVersion since,
        Certainty sinceCertainty,
        Optional<KernelVersion> removedIn,
        String gate,
        String source,
        String sinceSource) {

    public AbiSymbol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(versionNode, "versionNode");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(sinceCertainty, "sinceCertainty");
        Objects.requireNonNull(removedIn, "removedIn");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sinceSource, "sinceSource");
    }
}
