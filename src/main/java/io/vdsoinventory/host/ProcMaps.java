package io.vdsoinventory.host;

import java.util.Optional;

/**
 * Pure parsing of {@code /proc/<pid>/maps} text (proc(5), fs/proc/task_mmu.c show_map_vma): addresses and
 * offset are hex, the device is {@code major:minor}, the inode decimal, and the pathname is whatever remains
 * after the padding, which may itself contain spaces.
 */
final class ProcMaps {

    /** The pseudo-path the kernel gives the vDSO code mapping (arch_vma_name / vdso_mapping). */
    static final String VDSO_PATHNAME = "[vdso]";

    private ProcMaps() {
    }

    /**
     * Parses one maps line.
     *
     * @throws IllegalArgumentException naming the line when it does not have the proc(5) shape
     */
    static MapsEntry parseLine(String line) {
        String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 5) {
            throw new IllegalArgumentException("maps line has " + fields.length + " fields, expected at least 5: '" + line + "'");
        }
        int dash = fields[0].indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("maps line has no start-end address range: '" + line + "'");
        }
        long start = hex(fields[0].substring(0, dash), "start address", line);
        long end = hex(fields[0].substring(dash + 1), "end address", line);
        if (Long.compareUnsigned(end, start) < 0) {
            throw new IllegalArgumentException("maps line ends before it starts: '" + line + "'");
        }
        if (fields[1].length() != 4) {
            throw new IllegalArgumentException("maps line permissions '" + fields[1] + "' are not 4 characters: '" + line + "'");
        }
        long offset = hex(fields[2], "offset", line);
        long inode;
        try {
            inode = Long.parseUnsignedLong(fields[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maps line inode '" + fields[4] + "' is not a number: '" + line + "'", e);
        }
        String pathname = fields.length == 6 ? fields[5] : "";
        return new MapsEntry(start, end, fields[1], offset, fields[3], inode, pathname);
    }

    /**
     * The {@code [vdso]} mapping of a whole maps file, or empty when the process has none (vdso=0). Only lines that
     * end in the pseudo-path are parsed: a JVM maps hundreds of regions and this runs on every capture.
     */
    static Optional<MapsEntry> vdso(String mapsText) {
        return mapsText.lines()
                .filter(line -> line.stripTrailing().endsWith(VDSO_PATHNAME))
                .map(ProcMaps::parseLine)
                .filter(entry -> entry.pathname().equals(VDSO_PATHNAME))
                .findFirst();
    }

    private static long hex(String text, String field, String line) {
        try {
            return Long.parseUnsignedLong(text, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maps line " + field + " '" + text + "' is not hex: '" + line + "'", e);
        }
    }
}
