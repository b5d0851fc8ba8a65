package io.vdsoinventory.host;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Captures the calling process's vDSO: locates it twice (auxiliary vector and /proc/self/maps) and reads it
 * twice (through memory and through /proc/self/mem, the classic extract_vdso way), refusing to return bytes
 * when the two views disagree, since then one of them is being lied to.
 */
final class VdsoCapture {

    private final NativeProcess process;
    private final HostFiles files;

    VdsoCapture(NativeProcess process, HostFiles files) {
        this.process = process;
        this.files = files;
    }

    Optional<CapturedVdso> capture() throws HostReadException {
        long auxStart = process.auxiliaryValue(NativeProcess.AT_SYSINFO_EHDR);
        Optional<MapsEntry> mapped = vdsoMapping();
        if (auxStart == 0 && mapped.isEmpty()) {
            return Optional.empty();
        }
        if (mapped.isEmpty()) {
            throw new HostReadException("getauxval(AT_SYSINFO_EHDR) says the vDSO is at 0x" + Long.toHexString(auxStart)
                    + " but " + files.path(HostFiles.SELF_MAPS) + " has no [vdso] line");
        }
        MapsEntry vdso = mapped.get();
        if (auxStart != vdso.start()) {
            throw new HostReadException("getauxval(AT_SYSINFO_EHDR) = 0x" + Long.toHexString(auxStart)
                    + " but the [vdso] line of " + files.path(HostFiles.SELF_MAPS) + " starts at 0x"
                    + Long.toHexString(vdso.start()));
        }
        if (vdso.permissions().charAt(0) != 'r') {
            throw new HostReadException("the [vdso] mapping at 0x" + Long.toHexString(vdso.start())
                    + " is not readable (" + vdso.permissions() + ")");
        }
        int length = mappingLength(vdso);
        // /proc/self/mem first: a range that is not really readable fails there with EIO, not with a SIGSEGV
        byte[] viaProcMem = files.readAt(HostFiles.SELF_MEM, vdso.start(), length);
        byte[] viaMemory = process.readMemory(vdso.start(), length);
        if (!Arrays.equals(viaMemory, viaProcMem)) {
            int at = Arrays.mismatch(viaMemory, viaProcMem);
            HexFormat hex = HexFormat.of();
            throw new HostReadException("the vDSO read through memory and through " + files.path(HostFiles.SELF_MEM)
                    + " differ at offset 0x" + Integer.toHexString(at) + ": memory has 0x"
                    + hex.toHexDigits(viaMemory[at]) + ", " + files.path(HostFiles.SELF_MEM) + " has 0x"
                    + hex.toHexDigits(viaProcMem[at]));
        }
        return Optional.of(new CapturedVdso(vdso.start(), vdso.end(), viaMemory));
    }

    private Optional<MapsEntry> vdsoMapping() throws HostReadException {
        String maps = files.readText(HostFiles.SELF_MAPS);
        try {
            return ProcMaps.vdso(maps);
        } catch (IllegalArgumentException e) {
            throw new HostReadException("cannot parse " + files.path(HostFiles.SELF_MAPS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Real vDSO mappings are one to a few pages; the cap bounds what a corrupt or hostile maps file can make the
     * agent allocate.
     */
    static final long MAX_MAPPING_BYTES = 16L << 20;

    private static int mappingLength(MapsEntry vdso) throws HostReadException {
        long length = vdso.length();
        if (length <= 0 || length > MAX_MAPPING_BYTES) {
            throw new HostReadException("the [vdso] mapping is " + length + " bytes long, which cannot be a vDSO");
        }
        return (int) length;
    }
}
