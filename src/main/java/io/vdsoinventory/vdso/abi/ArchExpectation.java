package io.vdsoinventory.vdso.abi;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SymbolBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an image of one arch key may export: the union of the ABI entries that key may be, built once per key
 * so that checking an image is a few hash lookups per symbol.
 */
final class ArchExpectation {

    private final String arch;
    private final String abis;
    private final String sources;
    private final List<AbiEntry> candidates;
    private final Set<String> nodes = new LinkedHashSet<>();
    private final Set<String> sonames = new LinkedHashSet<>();
    private final Map<String, Set<String>> nodesBySymbol = new LinkedHashMap<>();
    private final Map<String, Set<String>> sourcesBySymbol = new LinkedHashMap<>();

    ArchExpectation(String arch, List<AbiEntry> candidates) {
        this.arch = arch;
        this.abis = candidates.stream().map(AbiEntry::id).collect(Collectors.joining(" or "));
        this.sources = candidates.stream().map(AbiEntry::source).collect(Collectors.joining("; "));
        this.candidates = List.copyOf(candidates);
        for (AbiEntry entry : candidates) {
            nodes.addAll(entry.versionNodes());
            sonames.addAll(entry.sonames());
            for (AbiSymbol symbol : entry.symbols()) {
                nodesBySymbol.computeIfAbsent(symbol.name(), name -> new LinkedHashSet<>()).add(symbol.versionNode());
                sourcesBySymbol.computeIfAbsent(symbol.name(), name -> new LinkedHashSet<>()).add(symbol.source());
            }
        }
    }

    List<AbiDeviation> check(List<String> versionNames, List<ElfSymbol> symbols) {
        List<AbiDeviation> deviations = new ArrayList<>();
        for (String version : versionNames) {
            if (!nodes.contains(version) && !sonames.contains(version)) {
                deviations.add(new AbiDeviation(AbiDeviationKind.UNEXPECTED_VERSION, version,
                        "version definition " + version + " is not declared by the " + arch + " vDSO ("
                                + abis + " declare " + String.join(", ", nodes) + ")", sources));
            }
        }
        for (ElfSymbol symbol : symbols) {
            if (isExportedDefinition(symbol) && !isVersionNodeSymbol(symbol, versionNames)) {
                checkSymbol(symbol, deviations);
            }
        }
        return List.copyOf(deviations);
    }

    /**
     * The symbols each candidate ABI exports in {@code release} with no gate (listed, {@code since} not after it,
     * not removed by it) that {@code symbols} does not define, in the first candidate's catalog order.
     */
    List<AbiDeviation> missing(List<ElfSymbol> symbols, KernelVersion release) {
        Set<String> defined = symbols.stream().filter(ArchExpectation::isExportedDefinition).map(ElfSymbol::name)
                .collect(Collectors.toSet());
        List<AbiDeviation> deviations = new ArrayList<>();
        for (AbiSymbol expected : candidates.get(0).symbols()) {
            if (!defined.contains(expected.name()) && candidates.stream()
                    .allMatch(entry -> exportsUngated(entry, expected.name(), release))) {
                deviations.add(new AbiDeviation(AbiDeviationKind.MISSING_SYMBOL, expected.name(),
                        "symbol " + expected.name() + " is exported by every " + arch + " vDSO (" + abis
                                + ") of kernel " + release + " (since " + expected.since() + ", "
                                + expected.sinceCertainty().name().toLowerCase(Locale.ROOT)
                                + ", no Kconfig gate) but this image does not define it",
                        expected.source()));
            }
        }
        return List.copyOf(deviations);
    }

    private static boolean exportsUngated(AbiEntry entry, String name, KernelVersion release) {
        return entry.symbols().stream().anyMatch(symbol -> symbol.name().equals(name) && symbol.gate().isEmpty()
                && symbol.since().compareTo(release) <= 0
                && symbol.removedIn().map(removed -> removed.compareTo(release) > 0).orElse(true));
    }

    private void checkSymbol(ElfSymbol symbol, List<AbiDeviation> deviations) {
        Set<String> expectedNodes = nodesBySymbol.get(symbol.name());
        if (expectedNodes == null) {
            deviations.add(new AbiDeviation(AbiDeviationKind.UNKNOWN_SYMBOL, symbol.name(),
                    "symbol " + symbol.name() + " is not exported by the " + arch + " vDSO (" + abis + ")", sources));
        } else if (symbol.version() != null && !expectedNodes.contains(symbol.version())) {
            deviations.add(new AbiDeviation(AbiDeviationKind.UNEXPECTED_VERSION, symbol.name() + "@" + symbol.version(),
                    "symbol " + symbol.name() + " is versioned " + symbol.version() + " but the " + arch
                            + " vDSO defines it under " + String.join(", ", expectedNodes),
                    String.join("; ", sourcesBySymbol.get(symbol.name()))));
        }
    }

    /** Exported: defined in the image and not LOCAL (GLOBAL, WEAK, and any other binding an injector may use). */
    private static boolean isExportedDefinition(ElfSymbol symbol) {
        return symbol.isDefined() && !symbol.binding().equals(SymbolBinding.STB_LOCAL);
    }

    /** The absolute symbol ld emits for a version definition; its verdef is checked on its own. */
    private boolean isVersionNodeSymbol(ElfSymbol symbol, List<String> versionNames) {
        return symbol.sectionIndex() == ElfSymbol.SHN_ABS
                && (versionNames.contains(symbol.name()) || nodes.contains(symbol.name()));
    }
}
