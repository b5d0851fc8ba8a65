package io.vdsoinventory.agent.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The agent's bounded on-disk queue of observations not yet delivered: one file per observation, named by a
 * sequence number so that delivery follows observation order. Each file is written to a temporary name, forced to
 * disk and renamed, so a crash or a full disk leaves either the whole record or none; a record whose checksum fails
 * (a torn disk, a hand edit) is discarded at open and counted.
 *
 * <p>The cap bounds the bytes of all records. Making room drops plain heartbeats first (the oldest), and a change
 * only when nothing but changes is left (the oldest change: a newer one describes the host's state better). Every
 * drop is counted, and the counts ride on the next stored record ({@link Entry#carried()}) so that the report
 * carrying them is delivered, retried and deduplicated like any other; a record dropped while carrying counts hands
 * them on.
 */
public final class Spool {

    /** What an observation is, for the drop policy. */
    enum Kind {
        HEARTBEAT, CHANGE
    }

    /** Observations dropped and not yet reported. */
    record Drops(int heartbeats, int changes) {
        static final Drops NONE = new Drops(0, 0);

        Drops plus(Drops other) {
            return new Drops(heartbeats + other.heartbeats, changes + other.changes);
        }

        Drops plusOne(Kind kind) {
            return kind == Kind.HEARTBEAT ? new Drops(heartbeats + 1, changes) : new Drops(heartbeats, changes + 1);
        }

        boolean isNone() {
            return heartbeats == 0 && changes == 0;
        }
    }

    /** One spooled observation: its payload and the drop counts it carries. */
    record Entry(long sequence, Kind kind, Drops carried, byte[] payload) {
    }

    /** "VDSP" then format version 1. */
    private static final int MAGIC = 0x56445350;
    private static final byte VERSION = 1;
    /** magic, version, kind, carried heartbeats, carried changes, payload length, CRC-32C. */
    static final int HEADER_BYTES = 4 + 1 + 1 + 4 + 4 + 4 + 4;
    private static final String SUFFIX = ".obs";
    private static final String DROPS_FILE = "drops";

    private record Meta(Kind kind, Drops carried, long bytes) {
    }

    private final Path dir;
    private final long capBytes;
    private final TreeMap<Long, Meta> records = new TreeMap<>();
    private final int discarded;
    private long bytes;
    private long nextSequence;
    private Drops pending;

    private Spool(Path dir, long capBytes, int discarded, Drops pending) {
        this.dir = dir;
        this.capBytes = capBytes;
        this.discarded = discarded;
        this.pending = pending;
    }

    /**
     * Opens (creating) the spool in {@code dir}: removes temporary files of interrupted writes, discards records
     * that fail their checksum, and continues the sequence after the last record.
     */
    public static Spool open(Path dir, long capBytes) throws IOException {
        if (capBytes < HEADER_BYTES) {
            throw new IllegalArgumentException("a spool cap of " + capBytes + " bytes cannot hold any record");
        }
        Files.createDirectories(dir);
        Map<Long, Meta> found = new TreeMap<>();
        int discarded = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(AtomicFile.TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    Optional<Long> sequence = sequenceOf(name);
                    Optional<Entry> entry = sequence.isPresent() ? read(file, sequence.get()) : Optional.empty();
                    if (entry.isPresent()) {
                        found.put(sequence.get(), new Meta(entry.get().kind(), entry.get().carried(),
                                Files.size(file)));
                    } else {
                        Files.deleteIfExists(file);
                        discarded++;
                    }
                }
            }
        }
        Spool spool = new Spool(dir, capBytes, discarded, readDrops(dir.resolve(DROPS_FILE)));
        spool.records.putAll(found);
        spool.bytes = found.values().stream().mapToLong(Meta::bytes).sum();
        spool.nextSequence = spool.records.isEmpty() ? 1 : spool.records.lastKey() + 1;
        return spool;
    }

    /**
     * Stores an observation, making room by the drop policy. Returns false when the observation itself was dropped
     * (a heartbeat with no heartbeat to make room from, a record larger than the cap, or a failed write such as a
     * full disk); the drop is counted.
     */
    boolean offer(Kind kind, byte[] payload) throws IOException {
        long size = (long) HEADER_BYTES + payload.length;
        if (size > capBytes) {
            return drop(kind);
        }
        while (bytes + size > capBytes) {
            Optional<Long> victim = oldest(Kind.HEARTBEAT);
            if (victim.isEmpty() && kind == Kind.HEARTBEAT) {
                return drop(kind);
            }
            evict(victim.orElseGet(records::firstKey));
        }
        long sequence = nextSequence;
        Path file = dir.resolve(fileName(sequence));
        try {
            AtomicFile.write(file, encode(kind, pending, payload));
        } catch (IOException e) {
            // a full disk (ENOSPC) or a failing device: the temporary file is gone, the spool unchanged
            return drop(kind);
        }
        nextSequence++;
        records.put(sequence, new Meta(kind, pending, size));
        bytes += size;
        if (!pending.isNone()) {
            pending = Drops.NONE; // the record carries them now
            writeDrops();
        }
        return true;
    }

    /** The oldest observation, to deliver next. */
    Optional<Entry> oldest() throws IOException {
        while (!records.isEmpty()) {
            long sequence = records.firstKey();
            Optional<Entry> entry = read(dir.resolve(fileName(sequence)), sequence);
            if (entry.isPresent()) {
                return entry;
            }
            // damaged after open (someone else wrote into the directory): discard, keep its counts
            evict(sequence);
        }
        return Optional.empty();
    }

    /** Removes a delivered observation. */
    void remove(Entry entry) throws IOException {
        Meta meta = records.remove(entry.sequence());
        if (meta != null) {
            bytes -= meta.bytes();
            Files.deleteIfExists(dir.resolve(fileName(entry.sequence())));
        }
    }

    public int size() {
        return records.size();
    }

    long bytes() {
        return bytes;
    }

    /** Drops not yet carried by a stored record. */
    Drops pendingDrops() {
        return pending;
    }

    /** Records discarded at open because they were incomplete or failed their checksum. */
    public int discardedAtOpen() {
        return discarded;
    }

    private boolean drop(Kind kind) throws IOException {
        pending = pending.plusOne(kind);
        writeDrops();
        return false;
    }

    private void evict(long sequence) throws IOException {
        Meta meta = records.remove(sequence);
        pending = pending.plus(meta.carried()).plusOne(meta.kind());
        writeDrops();
        bytes -= meta.bytes();
        Files.deleteIfExists(dir.resolve(fileName(sequence)));
    }

    private Optional<Long> oldest(Kind kind) {
        return records.entrySet().stream().filter(e -> e.getValue().kind() == kind).map(Map.Entry::getKey).findFirst();
    }

    private static byte[] encode(Kind kind, Drops carried, byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        record.putInt(MAGIC).put(VERSION).put((byte) kind.ordinal()).putInt(carried.heartbeats())
                .putInt(carried.changes()).putInt(payload.length).putInt(0).put(payload);
        record.putInt(HEADER_BYTES - 4, checksum(record.array()));
        return record.array();
    }

    /** CRC-32C of the whole record with its checksum field taken as zero. */
    private static int checksum(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record, 0, HEADER_BYTES - 4);
        crc.update(record, HEADER_BYTES, record.length - HEADER_BYTES);
        return (int) crc.getValue();
    }

    /** The record in {@code file}, or empty when it is missing, truncated, of another format or damaged. */
    private static Optional<Entry> read(Path file, long sequence) throws IOException {
        byte[] record;
        try {
            record = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (record.length < HEADER_BYTES) {
            return Optional.empty();
        }
        ByteBuffer header = ByteBuffer.wrap(record);
        int magic = header.getInt();
        byte version = header.get();
        int kind = header.get();
        int heartbeats = header.getInt();
        int changes = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        boolean valid = magic == MAGIC && version == VERSION && kind >= 0 && kind < Kind.values().length
                && heartbeats >= 0 && changes >= 0 && length == record.length - HEADER_BYTES;
        if (!valid) {
            return Optional.empty();
        }
        ByteBuffer.wrap(record).putInt(HEADER_BYTES - 4, 0);
        if (checksum(record) != crc) {
            return Optional.empty();
        }
        byte[] payload = new byte[length];
        System.arraycopy(record, HEADER_BYTES, payload, 0, length);
        return Optional.of(new Entry(sequence, Kind.values()[kind], new Drops(heartbeats, changes), payload));
    }

    private void writeDrops() throws IOException {
        String text = pending.heartbeats() + " " + pending.changes() + "\n";
        try {
            AtomicFile.write(dir.resolve(DROPS_FILE), text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the counts stay in memory and are written with the next change; a full disk must not stop the agent
        }
    }

    private static Drops readDrops(Path file) throws IOException {
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            return new Drops(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]));
        } catch (NoSuchFileException e) {
            return Drops.NONE;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Drops.NONE; // written atomically, so only a hand edit gets here: the counts are best effort
        }
    }

    private static String fileName(long sequence) {
        return String.format("%019d%s", sequence, SUFFIX);
    }

    private static Optional<Long> sequenceOf(String name) {
        try {
            return Optional.of(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
