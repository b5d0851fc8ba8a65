package io.vdsoinventory.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A raw note sequence such as /sys/kernel/notes: Elf_Nhdr, name and descriptor, each padded to 4 bytes. */
class ElfNoteTests {

    @Test
    void parsesAKernelNotesSequenceInEitherByteOrder() throws ElfFormatException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteArrayOutputStream notes = new ByteArrayOutputStream();
            notes.writeBytes(note(order, "Xen", 6, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            notes.writeBytes(note(order, "GNU", 3, new byte[] {(byte) 0xab, (byte) 0xcd, 0x01}));
            notes.writeBytes(note(order, "Linux", 0x100, new byte[] {0}));

            assertThat(ElfNote.parseAll(notes.toByteArray(), order))
                    .extracting(ElfNote::name, ElfNote::type, ElfNote::descriptorHex, ElfNote::offset)
                    .containsExactly(tuple("Xen", 6L, "0102030405060708", 0L), tuple("GNU", 3L, "abcd01", 24L),
                            tuple("Linux", 256L, "00", 44L));
        }
    }

    @Test
    void descriptorIsCopiedInAndOut() throws ElfFormatException {
        byte[] data = note(ByteOrder.LITTLE_ENDIAN, "GNU", 3, new byte[] {1, 2});
        ElfNote note = ElfNote.parseAll(data, ByteOrder.LITTLE_ENDIAN).get(0);

        note.descriptor()[0] = 9;

        assertThat(note.descriptor()).containsExactly(1, 2);
        assertThat(note.is("GNU", ElfNote.NT_GNU_BUILD_ID)).isTrue();
        assertThat(note).isEqualTo(new ElfNote("GNU", 3, new byte[] {1, 2}, 0));
    }

    @Test
    void nameSizePastTheEndIsReportedAtTheNote() {
        byte[] data = note(ByteOrder.LITTLE_ENDIAN, "GNU", 3, new byte[] {1, 2, 3, 4});
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x7fffffff);

        assertThatThrownBy(() -> ElfNote.parseAll(data, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOfSatisfying(ElfFormatException.class, e -> {
                    assertThat(e.offset()).isEqualTo(12);
                    assertThat(e.structure()).isEqualTo("notes note 0");
                    assertThat(e.reason()).startsWith("n_namesz 2147483647");
                });
    }

    @Test
    void truncatedHeader() {
        assertThatThrownBy(() -> ElfNote.parseAll(new byte[] {4, 0, 0, 0, 0}, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(ElfFormatException.class).hasMessageContaining("note header");
    }

    private static byte[] note(ByteOrder order, String name, int type, byte[] descriptor) {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nameSize = (nameBytes.length + 3) & ~3;
        int descriptorSize = (descriptor.length + 3) & ~3;
        ByteBuffer buffer = ByteBuffer.allocate(12 + nameSize + descriptorSize).order(order);
        buffer.putInt(nameBytes.length).putInt(descriptor.length).putInt(type);
        buffer.put(nameBytes).position(12 + nameSize);
        buffer.put(descriptor);
        return buffer.array();
    }
}
