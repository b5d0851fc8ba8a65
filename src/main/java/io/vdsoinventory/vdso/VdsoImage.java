package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A vDSO image as the product sees it: its identities, what it exports, and its structural anomalies. Pure: built
 * from bytes alone, by {@link #analyze(byte[])}.
 *
 * @param sha256           SHA-256 of exactly the bytes given (the whole mapping or the whole file): the content address
 * @param normalizedSha256 SHA-256 of the ELF extent with every CPU-alternatives patch site zeroed: equal for a
 *                         build-directory {@code vdso64.so}, a page-padded dump and every CPU's patched variant of
 *                         one kernel build, different for any other change of code or data
 * @param size             number of bytes given
 * @param elfExtent        end of the section header table or of the last PT_LOAD's file data, whichever is further
 * @param elfClass         32 or 64
 * @param byteOrder        the image's data byte order
 * @param machine          e_machine
 * @param arch             short architecture/ABI name, see {@link Arch}
 * @param soname           DT_SONAME, when present
 * @param buildId          NT_GNU_BUILD_ID as lower-case hex, when present
 * @param versions         version definition names without the base entry
 * @param symbols          .dynsym without its null entry 0
 * @param patchSites       the CPU-alternatives patch sites and what each holds
 * @param anomalies        structural anomalies found in this image alone
 */
public record VdsoImage(
        String sha256,
        String normalizedSha256,
        int size,
        long elfExtent,
        int elfClass,
        ByteOrder byteOrder,
        int machine,
        String arch,
        Optional<String> soname,
        Optional<String> buildId,
        List<String> versions,
        List<ElfSymbol> symbols,
        List<PatchSite> patchSites,
        List<Anomaly> anomalies) {

    private static final HexFormat HEX = HexFormat.of();

    public VdsoImage {
        versions = List.copyOf(versions);
        symbols = List.copyOf(symbols);
        patchSites = List.copyOf(patchSites);
        anomalies = List.copyOf(anomalies);
    }

    /** Parses and analyses an image; the bytes are not kept. */
    public static VdsoImage analyze(byte[] bytes) throws ElfFormatException {
        ElfFile elf = ElfFile.parse(bytes);
        String arch = Arch.name(elf.header().machine().code(), elf.header().elfClass());
        long extent = Math.min(elf.fileExtent(), bytes.length);

        List<Anomaly> anomalies = new ArrayList<>();
        Alternatives.Table alternatives = Alternatives.read(elf, arch);
        alternatives.problem().ifPresent(p -> anomalies.add(new Anomaly(AnomalyKind.MALFORMED_ALTERNATIVES, p)));
        PatchSites.Result sites = PatchSites.judge(elf, bytes, arch, alternatives.entries());
        anomalies.addAll(sites.anomalies());
        anomalies.addAll(StructuralChecks.check(elf, bytes, extent));

        return new VdsoImage(
                HEX.formatHex(newDigest().digest(bytes)),
                normalizedSha256(bytes, (int) extent, sites.sites()),
                bytes.length,
                extent,
                elf.header().elfClass().bits(),
                elf.header().byteOrder(),
                elf.header().machine().code(),
                arch,
                elf.soname(),
                elf.buildId(),
                elf.versionNames(),
                elf.dynamicSymbols(),
                sites.sites(),
                anomalies);
    }

    /** The byte order as the service's API and the agent's JSON both spell it: LITTLE_ENDIAN or BIG_ENDIAN. */
    public String byteOrderName() {
        return byteOrder.toString();
    }

    /** Hashes {@code bytes[0, extent)} with the patch sites read as zeros, without copying the image. */
    private static String normalizedSha256(byte[] bytes, int extent, List<PatchSite> sites) {
        MessageDigest digest = newDigest();
        List<PatchSite> ordered = new ArrayList<>(sites);
        ordered.sort(Comparator.comparingLong(PatchSite::offset));
        int at = 0;
        for (PatchSite site : ordered) {
            int start = (int) Math.max(site.offset(), at);
            int end = (int) Math.min(site.offset() + site.length(), extent);
            if (end <= start) {
                continue;   // overlaps a site already masked, or lies beyond the extent
            }
            digest.update(bytes, at, start - at);
            digest.update(new byte[end - start]);
            at = end;
        }
        digest.update(bytes, at, extent - at);
        return HEX.formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
