package io.vdsoinventory.host;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ProcessScanner} over /proc: {@code maps} locates each process's {@code [vdso]}, {@link ProcessMemory}
 * reads it, {@code auxv} tells whether it moved, and {@code comm}, {@code exe} and {@code cgroup} name the process.
 * A process that exits mid-scan, or that the agent may not read, is recorded as such.
 */
final class ProcfsProcessScanner implements ProcessScanner {

    /** Real vDSO mappings are one to a few pages: a larger one is not read. */
    private static final int MAX_VDSO_BYTES = 1 << 20;
    private static final int MAX_LISTED_SYMBOLS = 64;
    /** The capability bit of CAP_SYS_PTRACE (include/uapi/linux/capability.h). */
    private static final int CAP_SYS_PTRACE = 19;

    private final HostFiles files;
    private final ProcessMemory memory;

    ProcfsProcessScanner(HostFiles files, ProcessMemory memory) {
        this.files = files;
        this.memory = memory;
    }

    /** The ABI of a vDSO image: ELF class and e_machine, from the ELF identification and header. */
    private record Abi(int elfClass, int machine) {
        static Optional<Abi> of(byte[] image) {
            if (image.length < 20 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
                return Optional.empty();
            }
            ByteOrder order = image[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return Optional.of(new Abi(image[4], ByteBuffer.wrap(image, 18, 2).order(order).getShort() & 0xffff));
        }
    }

    /** A process whose vDSO was read, before it is compared. */
    private record Read(int pid, String command, String executable, String container, boolean moved, byte[] image) {
    }

    @Override
    public ProcessScan scan(CapturedVdso own) throws HostReadException {
        List<ProcessVdso> done = new ArrayList<>();
        List<Read> read = new ArrayList<>();
        for (int pid : pids()) {
            visit(pid, done, read);
        }
        Map<Optional<Abi>, byte[]> references = references(own.bytes(), read);
        Map<ByteBuffer, Comparison> comparisons = new HashMap<>(); // ByteBuffer: equality by content
        for (Read process : read) {
            byte[] reference = references.get(Abi.of(process.image()));
            Comparison comparison = comparisons.computeIfAbsent(ByteBuffer.wrap(reference), bytes -> new Comparison(reference));
            done.add(comparison.judge(process));
        }
        done.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        return new ProcessScan(done, privileged());
    }

    /** Whether CAP_SYS_PTRACE is in this process's effective set ({@code CapEff:} of /proc/self/status, hex). */
    private boolean privileged() {
        return files.optionalText(HostFiles.SELF_STATUS).flatMap(status -> status.lines()
                        .filter(line -> line.startsWith("CapEff:")).findFirst())
                .map(line -> {
                    try {
                        return new BigInteger(line.substring("CapEff:".length()).strip(), 16)
                                .testBit(CAP_SYS_PTRACE);
                    } catch (NumberFormatException e) {
                        return false;
                    }
                })
                .orElse(false);
    }

    private List<Integer> pids() throws HostReadException {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.path("proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) {
                    pids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new HostReadException("cannot list " + files.path("proc") + ": " + e.getMessage(), e);
        }
        return pids;
    }

    private void visit(int pid, List<ProcessVdso> done, List<Read> read) {
        String dir = "proc/" + pid + "/";
        String command = files.optionalText(dir + "comm").orElse("");
        String executable = executable(dir);
        String container = files.optionalText(dir + "cgroup").map(text -> text.lines().findFirst().orElse(""))
                .orElse(null);
        String maps;
        try {
            maps = Files.readString(files.path(dir + "maps"));
        } catch (NoSuchFileException e) {
            done.add(outcome(pid, command, executable, container, ProcessVdso.Status.EXITED, "exited"));
            return;
        } catch (AccessDeniedException e) {
            done.add(outcome(pid, command, executable, container, ProcessVdso.Status.UNREADABLE, "maps: permission denied"));
            return;
        } catch (IOException e) {
            ProcessVdso.Status status = Files.exists(files.path(dir)) ? ProcessVdso.Status.UNREADABLE : ProcessVdso.Status.EXITED;
            done.add(outcome(pid, command, executable, container, status, "maps: " + e.getMessage()));
            return;
        }
        Optional<MapsEntry> vdso;
        try {
            vdso = ProcMaps.vdso(maps);
        } catch (IllegalArgumentException e) {
            done.add(outcome(pid, command, executable, container, ProcessVdso.Status.SKIPPED, e.getMessage()));
            return;
        }
        if (vdso.isEmpty()) {
            String detail = maps.isEmpty() ? "no mappings (kernel thread)" : "no [vdso] mapping";
            done.add(outcome(pid, command, executable, container, ProcessVdso.Status.NO_VDSO, detail));
            return;
        }
        MapsEntry mapping = vdso.get();
        if (mapping.length() <= 0 || mapping.length() > MAX_VDSO_BYTES) {
            done.add(outcome(pid, command, executable, container, ProcessVdso.Status.SKIPPED,
                    "[vdso] mapping of " + mapping.length() + " bytes is not read"));
            return;
        }
        byte[] image;
        try {
            image = memory.read(pid, mapping.start(), (int) mapping.length());
        } catch (ProcessMemory.MemoryReadException e) {
            ProcessVdso.Status status = e.exited() ? ProcessVdso.Status.EXITED : ProcessVdso.Status.UNREADABLE;
            done.add(outcome(pid, command, executable, container, status, e.getMessage()));
            return;
        }
        boolean moved = auxiliaryVdso(dir, image).stream().anyMatch(start -> start != mapping.start());
        read.add(new Read(pid, command, executable, container, moved, image));
    }

    private static ProcessVdso outcome(int pid, String command, String executable, String container,
            ProcessVdso.Status status, String detail) {
        return new ProcessVdso(pid, command, executable, container, status, false, List.of(), detail);
    }

    private String executable(String dir) {
        try {
            return Files.readSymbolicLink(files.path(dir + "exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // kernel threads have none; other users' processes need privilege
        }
    }

    /**
     * AT_SYSINFO_EHDR from /proc/pid/auxv: pairs of words of the process's own width (the kernel saves a compat
     * process's vector as 32-bit words, fs/compat_binfmt_elf.c), in native byte order.
     */
    private OptionalLong auxiliaryVdso(String dir, byte[] image) {
        Optional<byte[]> auxv = files.optionalBytes(dir + "auxv");
        if (auxv.isEmpty()) {
            return OptionalLong.empty();
        }
        int word = image.length > 4 && image[4] == 1 ? 4 : 8;
        ByteBuffer buffer = ByteBuffer.wrap(auxv.get()).order(ByteOrder.nativeOrder());
        while (buffer.remaining() >= 2 * word) {
            long type = word == 4 ? buffer.getInt() & 0xffffffffL : buffer.getLong();
            long value = word == 4 ? buffer.getInt() & 0xffffffffL : buffer.getLong();
            if (type == NativeProcess.AT_SYSINFO_EHDR) {
                return OptionalLong.of(value);
            }
            if (type == 0) {
                break;
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The image each ABI is compared with: the agent's own for its ABI; for another, the image most of that ABI's
     * processes map (first seen on a tie).
     */
    private static Map<Optional<Abi>, byte[]> references(byte[] own, List<Read> read) {
        Map<Optional<Abi>, Map<ByteBuffer, List<byte[]>>> byAbi = new LinkedHashMap<>();
        for (Read process : read) {
            byAbi.computeIfAbsent(Abi.of(process.image()), abi -> new LinkedHashMap<>())
                    .computeIfAbsent(ByteBuffer.wrap(process.image()), bytes -> new ArrayList<>()).add(process.image());
        }
        Map<Optional<Abi>, byte[]> references = new HashMap<>();
        byAbi.forEach((abi, images) -> references.put(abi, images.values().stream()
                .reduce((best, next) -> next.size() > best.size() ? next : best).orElseThrow().get(0)));
        references.put(Abi.of(own), own);
        return references;
    }

    /** Compares processes' images with one reference image, whose symbols name the differing byte ranges. */
    private static final class Comparison {
        private final byte[] reference;
        private final TreeMap<Long, List<ElfSymbol>> symbolsByOffset = new TreeMap<>();

        Comparison(byte[] reference) {
            this.reference = reference;
            try {
                ElfFile elf = ElfFile.parse(reference);
                for (ElfSymbol symbol : elf.dynamicSymbols()) {
                    OptionalLong offset = elf.fileOffsetOf(symbol.value());
                    if (symbol.isDefined() && symbol.size() > 0 && offset.isPresent()) {
                        symbolsByOffset.computeIfAbsent(offset.getAsLong(), at -> new ArrayList<>()).add(symbol);
                    }
                }
            } catch (ElfFormatException e) {
                // an unreadable reference still compares byte for byte; differences are then outside symbols
            }
        }

        ProcessVdso judge(Read process) {
            byte[] image = process.image();
            if (Arrays.equals(reference, image)) {
                return new ProcessVdso(process.pid(), process.command(), process.executable(), process.container(),
                        ProcessVdso.Status.MATCH, process.moved(), List.of(), "");
            }
            Set<String> symbols = new LinkedHashSet<>();
            int common = Math.min(reference.length, image.length);
            int first = Arrays.mismatch(reference, image);
            for (int at = first; at >= 0 && at < common && symbols.size() < MAX_LISTED_SYMBOLS; at++) {
                if (reference[at] != image[at]) {
                    symbols.addAll(symbolsAt(at));
                }
            }
            if (reference.length != image.length) {
                symbols.add(ProcessVdso.OUTSIDE_SYMBOLS);
            }
            String detail = "differs from offset 0x" + Integer.toHexString(first)
                    + (reference.length != image.length ? ", " + image.length + " bytes instead of " + reference.length : "");
            return new ProcessVdso(process.pid(), process.command(), process.executable(), process.container(),
                    ProcessVdso.Status.MISMATCH, process.moved(), List.copyOf(symbols), detail);
        }

        /** Every symbol whose range holds {@code offset} (aliases share ranges), else {@value ProcessVdso#OUTSIDE_SYMBOLS}. */
        private List<String> symbolsAt(int offset) {
            List<String> names = new ArrayList<>();
            symbolsByOffset.headMap((long) offset, true).forEach((start, symbols) -> symbols.stream()
                    .filter(symbol -> offset - start < symbol.size())
                    .forEach(symbol -> names.add(symbol.name())));
            return names.isEmpty() ? List.of(ProcessVdso.OUTSIDE_SYMBOLS) : names;
        }
    }
}
