package io.vdsoinventory.vdso.abi;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SymbolBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    private final Set<String> nodes = new LinkedHashSet<>();
    private final Set<String> sonames = new LinkedHashSet<>();
    private final Map<String, Set<String>> nodesBySymbol = new LinkedHashMap<>();

    ArchExpectation(String arch, List<AbiEntry> candidates) {
        this.arch = arch;
        this.abis = candidates.stream().map(AbiEntry::id).collect(Collectors.joining(" or "));
        for (AbiEntry entry : candidates) {
            nodes.addAll(entry.versionNodes());
            sonames.addAll(entry.sonames());
            for (AbiSymbol symbol : entry.symbols()) {
                nodesBySymbol.computeIfAbsent(symbol.name(), name -> new LinkedHashSet<>()).add(symbol.versionNode());
            }
        }
    }

    List<AbiDeviation> check(List<String> versionNames, List<ElfSymbol> symbols) {
        List<AbiDeviation> deviations = new ArrayList<>();
        for (String version : versionNames) {
            if (!nodes.contains(version) && !sonames.contains(version)) {
                deviations.add(new AbiDeviation(AbiDeviationKind.UNEXPECTED_VERSION, version,
                        "version definition " + version + " is not declared by the " + arch + " vDSO ("
                                + abis + " declare " + String.join(", ", nodes) + ")"));
            }
        }
        for (ElfSymbol symbol : symbols) {
            if (isExportedDefinition(symbol) && !isVersionNodeSymbol(symbol, versionNames)) {
                checkSymbol(symbol, deviations);
            }
        }
        return List.copyOf(deviations);
    }

    private void checkSymbol(ElfSymbol symbol, List<AbiDeviation> deviations) {
        Set<String> expectedNodes = nodesBySymbol.get(symbol.name());
        if (expectedNodes == null) {
            deviations.add(new AbiDeviation(AbiDeviationKind.UNKNOWN_SYMBOL, symbol.name(),
                    "symbol " + symbol.name() + " is not exported by the " + arch + " vDSO (" + abis + ")"));
        } else if (symbol.version() != null && !expectedNodes.contains(symbol.version())) {
            deviations.add(new AbiDeviation(AbiDeviationKind.UNEXPECTED_VERSION, symbol.name() + "@" + symbol.version(),
                    "symbol " + symbol.name() + " is versioned " + symbol.version() + " but the " + arch
                            + " vDSO defines it under " + String.join(", ", expectedNodes)));
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
