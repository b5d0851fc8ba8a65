package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTests {

    /** Room for exactly three records of {@link #payload(String)}'s size. */
    private static final long CAP = 3L * (Spool.HEADER_BYTES + 8);

    @TempDir
    Path dir;

    @Test
    void offerWhenReopenedThenDeliveredInOrderAfterRestart() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        spool.offer(Spool.Kind.HEARTBEAT, payload("beat---2"));
        spool.offer(Spool.Kind.CHANGE, payload("change-3"));

        Spool reopened = Spool.open(dir, 1 << 20);

        assertThat(drain(reopened)).containsExactly("change-1", "beat---2", "change-3");
        assertThat(reopened.size()).isZero();
        assertThat(reopened.bytes()).isZero();
    }

    @Test
    void offerWhenReopenedThenSequenceContinuesAfterTheLastRecord() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        Spool reopened = Spool.open(dir, 1 << 20);
        reopened.offer(Spool.Kind.CHANGE, payload("change-2"));

        assertThat(drain(reopened)).containsExactly("change-1", "change-2");
    }

    @Test
    void offerWhenFullThenOldestHeartbeatGoesFirstAndTheDropRidesOnTheNextRecord() throws IOException {
        Spool spool = Spool.open(dir, CAP);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        spool.offer(Spool.Kind.HEARTBEAT, payload("beat---2"));
        spool.offer(Spool.Kind.HEARTBEAT, payload("beat---3"));

        assertThat(spool.offer(Spool.Kind.CHANGE, payload("change-4"))).isTrue();

        List<Spool.Entry> entries = entries(spool);
        assertThat(entries).extracting(e -> text(e.payload())).containsExactly("change-1", "beat---3", "change-4");
        assertThat(entries.get(2).carried()).isEqualTo(new Spool.Drops(1, 0));
        assertThat(spool.pendingDrops().isNone()).isTrue();
    }

    @Test
    void offerWhenFullOfChangesThenAHeartbeatIsDroppedAndCounted() throws IOException {
        Spool spool = Spool.open(dir, CAP);
        for (int i = 1; i <= 3; i++) {
            spool.offer(Spool.Kind.CHANGE, payload("change-" + i));
        }

        assertThat(spool.offer(Spool.Kind.HEARTBEAT, payload("beat---4"))).isFalse();
        assertThat(spool.offer(Spool.Kind.HEARTBEAT, payload("beat---5"))).isFalse();

        assertThat(drain(spool)).containsExactly("change-1", "change-2", "change-3");
        assertThat(spool.pendingDrops()).isEqualTo(new Spool.Drops(2, 0));
        assertThat(Spool.open(dir, CAP).pendingDrops()).as("counts survive a restart").isEqualTo(new Spool.Drops(2, 0));
    }

    @Test
    void offerWhenFullOfChangesThenTheOldestChangeMakesRoomAndItsCountsAreHandedOn() throws IOException {
        Spool spool = Spool.open(dir, CAP);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        spool.offer(Spool.Kind.CHANGE, payload("change-2"));
        spool.offer(Spool.Kind.CHANGE, payload("change-3"));
        spool.offer(Spool.Kind.HEARTBEAT, payload("beat---x")); // dropped: pending (1, 0)
        spool.offer(Spool.Kind.CHANGE, payload("change-4")); // evicts change-1, carries (1, 1)

        List<Spool.Entry> entries = entries(spool);
        assertThat(entries).extracting(e -> text(e.payload())).containsExactly("change-2", "change-3", "change-4");
        assertThat(entries.get(2).carried()).isEqualTo(new Spool.Drops(1, 1));
    }

    @Test
    void openWhenRecordTruncatedOrCorruptThenDiscardedAndCountedOthersKept() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        spool.offer(Spool.Kind.CHANGE, payload("change-2"));
        spool.offer(Spool.Kind.CHANGE, payload("change-3"));
        List<Path> files = records();
        byte[] second = Files.readAllBytes(files.get(1));
        Files.write(files.get(1), Arrays.copyOf(second, second.length - 3)); // torn write
        byte[] third = Files.readAllBytes(files.get(2));
        third[third.length - 1] ^= 1; // flipped bit
        Files.write(files.get(2), third);

        Spool reopened = Spool.open(dir, 1 << 20);

        assertThat(reopened.discardedAtOpen()).isEqualTo(2);
        assertThat(drain(reopened)).containsExactly("change-1");
        assertThat(records()).isEmpty();
    }

    @Test
    void openWhenAWriteWasInterruptedThenItsTemporaryFileIsRemovedAndNothingDelivered() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        Files.write(dir.resolve("0000000000000000002.obs" + AtomicFile.TEMP_SUFFIX), new byte[] {1, 2, 3});

        Spool reopened = Spool.open(dir, 1 << 20);

        assertThat(drain(reopened)).containsExactly("change-1");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(AtomicFile.TEMP_SUFFIX));
        }
    }

    @Test
    void offerWhenRecordLargerThanTheCapThenDroppedAndCounted() throws IOException {
        Spool spool = Spool.open(dir, CAP);

        assertThat(spool.offer(Spool.Kind.CHANGE, new byte[(int) CAP])).isFalse();

        assertThat(spool.size()).isZero();
        assertThat(spool.pendingDrops()).isEqualTo(new Spool.Drops(0, 1));
    }

    @Test
    void offerWhenTheDirectoryCannotBeWrittenThenDroppedCountedAndTheSpoolStaysReadable() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));
        Path blocked = dir.resolve("0000000000000000002.obs" + AtomicFile.TEMP_SUFFIX);
        Files.createDirectory(blocked); // the temporary file cannot be created: like ENOSPC, the write fails
        Files.write(blocked.resolve("occupied"), new byte[1]);

        boolean stored = spool.offer(Spool.Kind.CHANGE, payload("change-2"));
        Files.delete(blocked.resolve("occupied"));
        Files.delete(blocked);

        assertThat(stored).isFalse();
        assertThat(spool.pendingDrops()).isEqualTo(new Spool.Drops(0, 1));
        assertThat(drain(Spool.open(dir, 1 << 20))).containsExactly("change-1");
    }

    @Test
    void recordsAreReadableByTheirOwnerOnly() throws IOException {
        Spool spool = Spool.open(dir, 1 << 20);
        spool.offer(Spool.Kind.CHANGE, payload("change-1"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(records().get(0))))
                .isEqualTo("rw-------");
    }

    private List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".obs")).sorted().toList();
        }
    }

    private static List<Spool.Entry> entries(Spool spool) throws IOException {
        List<Spool.Entry> entries = new ArrayList<>();
        Optional<Spool.Entry> next;
        while ((next = spool.oldest()).isPresent()) {
            entries.add(next.get());
            spool.remove(next.get());
        }
        return entries;
    }

    private static List<String> drain(Spool spool) throws IOException {
        return entries(spool).stream().map(e -> text(e.payload())).toList();
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.US_ASCII);
    }
}
