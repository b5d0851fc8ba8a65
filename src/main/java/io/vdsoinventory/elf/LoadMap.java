package io.vdsoinventory.elf;

import java.util.List;
import java.util.OptionalLong;

/**
 * Virtual address to file offset through the PT_LOAD segments. Dynamic-table pointers (DT_SYMTAB, DT_STRTAB, ...)
 * are virtual addresses: the kernel's parse_vdso.c adds the load bias of the first PT_LOAD
 * ({@code p_offset - p_vaddr}); this map accepts an address in any PT_LOAD's file data and bounds what is read
 * there by the end of that segment's file data.
 */
final class LoadMap {

    private final List<ProgramHeader> loads;

    LoadMap(List<ProgramHeader> programHeaders) {
        this.loads = programHeaders.stream().filter(p -> p.type().equals(ProgramType.PT_LOAD)).toList();
    }

    OptionalLong fileOffsetOf(long address) {
        for (ProgramHeader load : loads) {
            if (load.mapsInFile(address)) {
                return OptionalLong.of(load.offset() + (address - load.virtualAddress()));
            }
        }
        return OptionalLong.empty();
    }

    /** The file bytes from {@code address} to the end of its segment's file data. */
    Region regionAt(long address, String structure, long recordOffset) throws ElfFormatException {
        for (ProgramHeader load : loads) {
            if (load.mapsInFile(address)) {
                long offset = load.offset() + (address - load.virtualAddress());
                return new Region(offset, load.offset() + load.fileSize() - offset);
            }
        }
        throw new ElfFormatException(structure, recordOffset, "address 0x" + Long.toHexString(address)
                + " lies outside the file data of every PT_LOAD segment");
    }

    /** End of the last PT_LOAD's file data (0 without PT_LOAD). */
    long fileEnd() {
        long end = 0;
        for (ProgramHeader load : loads) {
            end = Math.max(end, load.offset() + load.fileSize());
        }
        return end;
    }
}
