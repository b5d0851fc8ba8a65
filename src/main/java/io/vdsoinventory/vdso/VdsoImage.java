package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A vDSO image as the product sees it: identities (content sha256, normalizedSha256 with CPU-alternatives patch
 * sites masked, GNU build-id), what it exports, and its structural anomalies. Pure: built from bytes alone.
 * (Skeleton: the analysis is being implemented.)
 */
public record VdsoImage(
        String sha256,
        String normalizedSha256,
        int size,
        int elfClass,
        ByteOrder byteOrder,
        int machine,
        String arch,
        String soname,
        String buildId,
        List<String> versions,
        List<ElfSymbol> symbols,
        List<Anomaly> anomalies) {

    public static VdsoImage analyze(byte[] bytes) throws ElfFormatException {
        throw new ElfFormatException("ELF header", 0, "analysis not implemented yet");
    }
}
