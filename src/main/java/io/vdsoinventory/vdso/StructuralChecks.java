package io.vdsoinventory.vdso;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SectionHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

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
                .filter(ph -> ph.type() == ProgramHeaderTypes.PT_LOAD)
                .filter(ph -> (ph.flags() & ProgramHeaderTypes.PF_W) != 0 && (ph.flags() & ProgramHeaderTypes.PF_X) != 0)
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

    private static void unexpectedDynamicEntries(ElfFile elf, List<Anomaly> anomalies) {
        // TODO after the elf merge: DT_NEEDED, DT_INIT, DT_FINI, DT_INIT_ARRAY, DT_FINI_ARRAY, DT_PREINIT_ARRAY, DT_TEXTREL
    }

    private static final int SHN_LORESERVE = 0xff00;
}
