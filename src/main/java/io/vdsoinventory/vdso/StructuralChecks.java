package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.DynamicEntry;
import io.vdsoinventory.elf.DynamicTag;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.ProgramType;
import io.vdsoinventory.elf.SectionHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** Structural anomalies of one image that need no other image to compare with. */
final class StructuralChecks {

    private StructuralChecks() {
    }

    static List<Anomaly> check(ElfFile elf, byte[] bytes, long extent) {
        List<Anomaly> anomalies = new ArrayList<>();
        hiddenBytes(bytes, extent, anomalies);
        writableExecutableSegments(elf, anomalies);
        symbolsOutsideTheirSection(elf, anomalies);
        hashTablesDisagree(elf, anomalies);
        elf.sectionProblem().ifPresent(problem -> anomalies.add(new Anomaly(AnomalyKind.SECTION_HEADERS_IGNORED,
                "section headers ignored, image read through PT_DYNAMIC: " + problem.getMessage())));
        unexpectedDynamicEntries(elf, anomalies);
        return anomalies;
    }

    /** A dumped mapping is the ELF extent plus zero page padding; anything else there is hidden. */
    private static void hiddenBytes(byte[] bytes, long extent, List<Anomaly> anomalies) {
        int first = -1;
        int count = 0;
        for (int i = (int) extent; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                count++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (count > 0) {
            anomalies.add(new Anomaly(AnomalyKind.HIDDEN_BYTES, String.format(
                    "%d non-zero bytes after the ELF extent (0x%x), the first at offset 0x%x",
                    count, extent, first)));
        }
    }

    private static void writableExecutableSegments(ElfFile elf, List<Anomaly> anomalies) {
        elf.programHeaders().stream()
                .filter(ph -> ph.type().equals(ProgramType.PT_LOAD) && ph.isWritable() && ph.isExecutable())
                .forEach(ph -> anomalies.add(new Anomaly(AnomalyKind.WRITABLE_EXECUTABLE_SEGMENT, String.format(
                        "PT_LOAD %d at offset 0x%x (vaddr 0x%x, %d bytes) is writable and executable",
                        ph.index(), ph.offset(), ph.virtualAddress(), ph.memorySize()))));
    }

    private static void symbolsOutsideTheirSection(ElfFile elf, List<Anomaly> anomalies) {
        List<SectionHeader> sections = elf.sections();
        if (sections.isEmpty()) {
            return;
        }
        for (ElfSymbol symbol : elf.dynamicSymbols()) {
            int index = symbol.sectionIndex();
            if (!symbol.isDefined() || index >= SHN_LORESERVE) {
                continue;   // undefined, or absolute/common: no section to be inside
            }
            if (index >= sections.size()) {
                anomalies.add(new Anomaly(AnomalyKind.SYMBOL_OUTSIDE_SECTION, String.format(
                        "%s names section %d, but the image has %d sections", symbol.name(), index, sections.size())));
                continue;
            }
            SectionHeader section = sections.get(index);
            long end = section.address() + section.size();
            if (Long.compareUnsigned(symbol.value(), section.address()) < 0
                    || Long.compareUnsigned(symbol.value() + symbol.size(), end) > 0
                    || Long.compareUnsigned(symbol.value() + symbol.size(), symbol.value()) < 0) {
                anomalies.add(new Anomaly(AnomalyKind.SYMBOL_OUTSIDE_SECTION, String.format(
                        "%s at 0x%x (%d bytes) lies outside its section %s [0x%x, 0x%x)",
                        symbol.name(), symbol.value(), symbol.size(), section.name(), section.address(), end)));
            }
        }
    }

    private static void hashTablesDisagree(ElfFile elf, List<Anomaly> anomalies) {
        int symbols = elf.dynamicSymbols().size() + 1;   // the tables count the null entry 0 too
        OptionalInt sysv = elf.sysvHashSymbolCount();
        OptionalInt gnu = elf.gnuHashSymbolCount();
        if (sysv.isPresent() && sysv.getAsInt() != symbols || gnu.isPresent() && gnu.getAsInt() != symbols) {
            anomalies.add(new Anomaly(AnomalyKind.HASH_TABLE_MISMATCH, String.format(
                    ".dynsym has %d entries, the SysV hash table implies %s, the GNU hash table %s",
                    symbols, sysv.isPresent() ? sysv.getAsInt() : "none", gnu.isPresent() ? gnu.getAsInt() : "none")));
        }
    }

    /** Entries that make a loader load or run code; the kernel links its vDSO without any of them. */
    private static final Set<DynamicTag> LOADER_ACTIONS = Set.of(DynamicTag.DT_NEEDED, DynamicTag.DT_INIT,
            DynamicTag.DT_FINI, new DynamicTag(25 /* DT_INIT_ARRAY */), new DynamicTag(26 /* DT_FINI_ARRAY */),
            new DynamicTag(32 /* DT_PREINIT_ARRAY */), DynamicTag.DT_TEXTREL);

    private static void unexpectedDynamicEntries(ElfFile elf, List<Anomaly> anomalies) {
        for (DynamicEntry entry : elf.dynamicEntries()) {
            if (LOADER_ACTIONS.contains(entry.tag())) {
                anomalies.add(new Anomaly(AnomalyKind.UNEXPECTED_DYNAMIC_ENTRY, String.format(
                        "dynamic entry %d is %s (0x%x): a vDSO never asks the loader to load or run code",
                        entry.index(), entry.tag().name(), entry.value())));
            }
        }
    }

    /** SHN_LORESERVE: section indexes from here on are special (SHN_ABS, SHN_COMMON, ...), not sections. */
    private static final int SHN_LORESERVE = 0xff00;
}
