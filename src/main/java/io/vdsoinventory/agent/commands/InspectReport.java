package io.vdsoinventory.agent.commands;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.vdso.Anomaly;
import io.vdsoinventory.vdso.VdsoImage;
import io.vdsoinventory.vdso.abi.AbiCatalog;
import io.vdsoinventory.vdso.abi.AbiDeviation;
import io.vdsoinventory.vdso.abi.KernelVersion;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code agent inspect} prints about a {@link VdsoImage}: the JSON document (field names are a contract:
 * scripts/conformance.sh and users' tooling read them) and the human summary.
 */
record InspectReport(
        String sha256,
        String normalizedSha256,
        int size,
        int elfClass,
        String byteOrder,
        int machine,
        String arch,
        String soname,
        String buildId,
        List<String> versions,
        List<Symbol> symbols,
        List<AnomalyEntry> anomalies,
        String kernelRelease,
        List<AbiDeviation> abiDeviations) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One .dynsym entry. {@code value} and {@code size} are unsigned and may exceed a signed 64-bit number. */
    record Symbol(String name, String version, boolean hidden, String type, String binding, BigInteger value,
                  BigInteger size, int section) {
    }

    record AnomalyEntry(String kind, String detail) {
    }

    /**
     * The report of {@code image} with its deviations from the expected-ABI catalog; missing symbols are judged
     * only when the kernel release the image belongs to is known ({@code kernelRelease} not null).
     */
    static InspectReport of(VdsoImage image, String kernelRelease) {
        AbiCatalog catalog = AbiCatalog.load();
        Optional<KernelVersion> release = kernelRelease == null ? Optional.empty()
                : KernelVersion.ofRelease(kernelRelease);
        List<AbiDeviation> deviations = release.isPresent()
                ? catalog.check(image.arch(), image.versions(), image.symbols(), release.get())
                : catalog.check(image.arch(), image.versions(), image.symbols());
        return new InspectReport(image.sha256(), image.normalizedSha256(), image.size(), image.elfClass(),
                image.byteOrderName(), image.machine(), image.arch(),
                image.soname().orElse(null), image.buildId().orElse(null), image.versions(),
                image.symbols().stream().map(InspectReport::symbol).toList(),
                image.anomalies().stream().map(InspectReport::anomaly).toList(),
                release.isPresent() ? kernelRelease : null, deviations);
    }

    private static Symbol symbol(ElfSymbol symbol) {
        return new Symbol(symbol.displayName(), symbol.version(), symbol.hidden(), symbol.type().readelfName(),
                symbol.binding().readelfName(), unsigned(symbol.value()), unsigned(symbol.size()),
                symbol.sectionIndex());
    }

    private static AnomalyEntry anomaly(Anomaly anomaly) {
        return new AnomalyEntry(anomaly.kind().name(), anomaly.detail());
    }

    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    String json() {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }

    /** A few aligned lines for a person; symbols as {@code name@@VERSION} (or {@code @} when hidden). */
    String summary(String description) {
        StringBuilder text = new StringBuilder();
        row(text, "image", description);
        row(text, "size", size + " bytes");
        row(text, "sha256", sha256);
        row(text, "normalized", normalizedSha256);
        row(text, "format", "ELF" + elfClass + " " + (byteOrder.equals("BIG_ENDIAN") ? "big" : "little")
                + "-endian, e_machine " + machine + " (" + arch + ")");
        row(text, "soname", orNone(soname));
        row(text, "build-id", orNone(buildId));
        row(text, "versions", versions.isEmpty() ? "(none)" : String.join(" ", versions));
        row(text, "symbols", Integer.toString(symbols.size()));
        for (Symbol symbol : symbols) {
            // like readelf, a version definition's own symbol (LINUX_2.6 in LINUX_2.6) shows without a version
            String versioned = symbol.version() == null || symbol.version().equals(symbol.name()) ? symbol.name()
                    : symbol.name() + (symbol.hidden() ? "@" : "@@") + symbol.version();
            text.append(String.format("  %-7s %-6s 0x%-10x %6d  %s%n", symbol.type(), symbol.binding(),
                    symbol.value(), symbol.size(), versioned));
        }
        row(text, "anomalies", anomalies.isEmpty() ? "none" : Integer.toString(anomalies.size()));
        for (AnomalyEntry anomaly : anomalies) {
            text.append("  ").append(anomaly.kind()).append(": ").append(anomaly.detail()).append(System.lineSeparator());
        }
        row(text, "abi", (abiDeviations.isEmpty() ? "as catalogued" : abiDeviations.size()
                + (abiDeviations.size() == 1 ? " deviation" : " deviations")) + " (" + (kernelRelease == null
                ? "missing symbols not checked: kernel release unknown, see --kernel-release"
                : "missing symbols checked for kernel " + kernelRelease) + ")");
        for (AbiDeviation deviation : abiDeviations) {
            text.append("  ").append(deviation.kind()).append(": ").append(deviation.detail())
                    .append(System.lineSeparator()).append("    source: ").append(deviation.source())
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    private static void row(StringBuilder text, String label, String value) {
        text.append(String.format("%-11s %s%n", label, value));
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }
}
