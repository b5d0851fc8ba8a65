package io.vdsoinventory.vdso.abi;

import io.vdsoinventory.elf.ElfSymbol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The expected vDSO ABI of every catalogued architecture, read from the bundled {@code abi-catalog.txt}
 * (facts taken from the kernel's {@code arch/*}{@code /vdso*.lds.S} and Makefiles; see docs/abi-catalog.md).
 *
 * <p>Images are keyed by {@link io.vdsoinventory.vdso.Arch} names, which come from e_machine and the ELF
 * class alone. Where that cannot tell ABIs apart (an {@code arm} image may be a native arm vDSO or the AArch32
 * compat vDSO of an arm64 kernel; {@code mips} may be o32 or n32; {@code riscv32} native or compat), an arch key
 * maps to several ABI entries and {@link #check} accepts the union of their symbols and version nodes.
 */
public final class AbiCatalog {

    static final String RESOURCE = "abi-catalog.txt";

    private static volatile AbiCatalog bundled;

    private final List<AbiEntry> entries;
    private final Map<String, List<AbiEntry>> byArch;
    private final Map<String, ArchExpectation> expectations;

    AbiCatalog(List<AbiEntry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, List<AbiEntry>> index = new LinkedHashMap<>();
        for (AbiEntry entry : this.entries) {
            for (String arch : entry.archKeys()) {
                index.computeIfAbsent(arch, key -> new ArrayList<>()).add(entry);
            }
        }
        index.replaceAll((arch, list) -> List.copyOf(list));
        this.byArch = Map.copyOf(index);
        Map<String, ArchExpectation> byKey = new LinkedHashMap<>();
        index.forEach((arch, candidates) -> byKey.put(arch, new ArchExpectation(arch, candidates)));
        this.expectations = Map.copyOf(byKey);
    }

    /**
     * The bundled catalog, read on first use and shared afterwards.
     *
     * @throws IllegalStateException when the bundled data file is missing, unreadable or malformed (naming line
     *                               and reason)
     */
    public static AbiCatalog load() {
        AbiCatalog catalog = bundled;
        if (catalog == null) {
            synchronized (AbiCatalog.class) {
                catalog = bundled;
                if (catalog == null) {
                    catalog = readBundled();
                    bundled = catalog;
                }
            }
        }
        return catalog;
    }

    private static AbiCatalog readBundled() {
        try (InputStream in = AbiCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("vDSO ABI catalog resource " + RESOURCE + " is missing");
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read vDSO ABI catalog " + RESOURCE, e);
        }
    }

    /** Reads a catalog in the bundled file's format; {@code origin} names it in error messages. */
    static AbiCatalog read(InputStream in, String origin) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> lines = reader.lines().collect(Collectors.toList());
        return new AbiCatalog(CatalogParser.parse(lines, origin));
    }

    /** Every catalogued ABI, in file order. */
    public List<AbiEntry> entries() {
        return entries;
    }

    /**
     * The ABIs an image with arch key {@code arch} may be: one for most arches, several where the ELF header
     * cannot tell them apart; empty when the arch is not catalogued.
     */
    public List<AbiEntry> forArch(String arch) {
        return byArch.getOrDefault(Objects.requireNonNull(arch, "arch"), List.of());
    }

    /**
     * Compares an image's version definitions and dynamic symbols with the ABI expected for {@code arch}.
     * Undefined and LOCAL symbols are not exports and are skipped, as is the absolute symbol the linker emits
     * for each version definition. A verdef named like a catalogued soname is the base definition.
     *
     * @param versionNames the image's version definition names (the base one may be included)
     * @param symbols      the image's dynamic symbols
     * @return the deviations in input order (versions first); a single UNCATALOGUED_ARCH for an unknown arch
     */
    public List<AbiDeviation> check(String arch, List<String> versionNames, List<ElfSymbol> symbols) {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(versionNames, "versionNames");
        Objects.requireNonNull(symbols, "symbols");
        ArchExpectation expectation = expectations.get(arch);
        if (expectation == null) {
            return List.of(new AbiDeviation(AbiDeviationKind.UNCATALOGUED_ARCH, arch,
                    "arch " + arch + " is not in the vDSO ABI catalog, so its exports were not checked", RESOURCE));
        }
        return expectation.check(versionNames, symbols);
    }

    /**
     * {@link #check(String, List, List)}, then MISSING_SYMBOL for every symbol the arch's ABIs all export in
     * {@code release} without a Kconfig gate that the image does not define. Only the kernel an image came from
     * tells which symbols it must have, so callers that know the release (the agent on its own host) use this.
     */
    public List<AbiDeviation> check(String arch, List<String> versionNames, List<ElfSymbol> symbols,
            KernelVersion release) {
        Objects.requireNonNull(release, "release");
        List<AbiDeviation> deviations = new ArrayList<>(check(arch, versionNames, symbols));
        ArchExpectation expectation = expectations.get(arch);
        if (expectation != null) {
            deviations.addAll(expectation.missing(symbols, release));
        }
        return List.copyOf(deviations);
    }
}
