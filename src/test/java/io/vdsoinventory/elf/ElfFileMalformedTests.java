package io.vdsoinventory.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.HashStyle;
import io.vdsoinventory.testing.ElfImageBuilder.Image;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Malformed images fail with one ElfFormatException that names the structure, the offset and what is wrong. */
class ElfFileMalformedTests {

    private static final long DT_SYMTAB = 6;
    private static final long DT_VERDEFNUM = 0x6ffffffdL;

    @Test
    void inputShorterThanTheIdentification() {
        assertFailure(new byte[] {0x7f, 'E', 'L', 'F', 2}, 0)
                .hasMessage("ELF header at offset 0x0: input is 5 bytes, shorter than the 16-byte ELF identification");
    }

    @Test
    void wrongMagic() {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().build().copy();
        bytes[3] = 'G';

        assertFailure(bytes, 0).hasMessageContaining("not an ELF file: magic is 7f 45 4c 47");
    }

    @Test
    void unknownClass() {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().build().copy();
        bytes[4] = 3;

        assertFailure(bytes, 4).hasMessageContaining("EI_CLASS 3 is neither");
    }

    @Test
    void headerTruncatedAfterTheIdentification() {
        byte[] bytes = Arrays.copyOf(ElfImageBuilder.x86_64Vdso().build().bytes(), 40);

        assertFailure(bytes, 0).hasMessageContaining("needs 64 bytes at 0x0 but the input is 40 bytes long");
    }

    @Test
    void programHeadersBeyondTheEndOfTheInput() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        put(bytes, 32, 8, 0x100000, ByteOrder.LITTLE_ENDIAN); // e_phoff

        assertFailure(bytes, 0x100000).hasMessage("program header table at offset 0x100000: needs 168 bytes at "
                + "0x100000 but the input is " + bytes.length + " bytes long");
    }

    @Test
    void programHeaderOffsetBeyondTwoToTheSixtyThree() {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().build().copy();
        put(bytes, 32, 8, 0xffffffffffffff00L, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, 32).hasMessageContaining("e_phoff 0xffffffffffffff00 is too large");
    }

    @Test
    void programHeaderEntrySmallerThanThePhdr() {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().build().copy();
        put(bytes, 54, 2, 20, ByteOrder.LITTLE_ENDIAN); // e_phentsize

        assertFailure(bytes, 64).hasMessageContaining("e_phentsize 20 is smaller than an Elf64_Phdr (56)");
    }

    @Test
    void loadSegmentPastTheEndOfATruncatedDump() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = Arrays.copyOf(image.bytes(), 0x300);

        assertFailure(bytes, 0).hasMessageContaining("program header 0 (PT_LOAD file data)")
                .hasMessageContaining("but the input is 768 bytes long");
    }

    @Test
    void sysvHashCountBeyondTheLimit() {
        Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build();
        byte[] bytes = image.copy();
        long hash = image.section(".hash").offset();
        put(bytes, hash + 4, 4, 0xffffffffL, ByteOrder.LITTLE_ENDIAN); // nchain

        assertFailure(bytes, hash).hasMessage("SysV hash table at offset 0x" + Long.toHexString(hash)
                + ": nchain 4294967295 exceeds the limit of 65536");
    }

    @Test
    void sysvHashBucketsOverflowingTheSegment() {
        Image image = ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390).hash(HashStyle.SYSV)
                .sectionHeaders(false).symbol(SymbolSpec.function("__kernel_time", null)).build();
        byte[] bytes = image.copy();
        long hash = image.section(".hash").offset();
        put(bytes, hash, 8, 0x7ffffffffffffff0L, ByteOrder.BIG_ENDIAN); // nbucket, an 8-byte word on s390x

        assertFailure(bytes, hash).hasMessageContaining("SysV hash table").hasMessageContaining("overflow");
    }

    @Test
    void gnuHashChainWithoutAnEndRunsPastItsSection() {
        Image image = ElfImageBuilder.x86_64Vdso().hash(HashStyle.GNU).build();
        byte[] bytes = image.copy();
        ElfImageBuilder.Placement gnu = image.section(".gnu.hash");
        long chains = gnu.offset() + 16 + 8 + 4L * 5; // header, one bloom word, five buckets
        for (long at = chains; at < gnu.offset() + gnu.size(); at += 4) {
            bytes[(int) at] &= ~1; // little endian: the low bit is in the first byte
        }

        AbstractThrowableAssert<?, ? extends Throwable> failure = assertFailure(bytes, gnu.offset() + gnu.size());
        failure.hasMessageContaining("GNU hash table").hasMessageContaining("runs past the end of its table");
    }

    @Test
    void dynsymPointerOutsideTheImage() {
        Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build();
        byte[] bytes = image.copy();
        long entry = dynamicEntry(image, bytes, DT_SYMTAB);
        put(bytes, entry + 8, 8, 0x100000, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, entry).hasMessageContaining("(DT_SYMTAB)")
                .hasMessageContaining("address 0x100000 lies outside the file data of every PT_LOAD segment");
    }

    @Test
    void verdefChainThatWouldWrapBackToItsStart() {
        // 0xffffffe4 is -28: with 32-bit pointer arithmetic it leads back to the previous entry, an endless loop.
        Image image = ElfImageBuilder.elf32(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_386).sectionHeaders(false)
                .versions("LINUX_2.5", "LINUX_2.6")
                .symbol(SymbolSpec.function("__kernel_vsyscall", "LINUX_2.5")).build();
        byte[] bytes = image.copy();
        long second = image.section(".gnu.version_d").offset() + 28;
        put(bytes, second + 16, 4, 0xffffffe4L, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, second).hasMessageContaining("version definition 1")
                .hasMessageContaining("vd_next 0xffffffe4 leads outside the version definitions");
    }

    @Test
    void verdefEntryPointingIntoItself() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        long first = image.section(".gnu.version_d").offset();
        put(bytes, first + 16, 4, 4, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, first).hasMessageContaining("vd_next 4 does not advance past the 20-byte entry");
    }

    @Test
    void verdefCountLargerThanTheChain() {
        Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build();
        byte[] bytes = image.copy();
        long entry = dynamicEntry(image, bytes, DT_VERDEFNUM);
        put(bytes, entry + 8, 8, 5, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, image.section(".gnu.version_d").offset() + 28)
                .hasMessageContaining("vd_next 0 ends the chain after 2 of 5 version definitions");
    }

    @Test
    void versymNamingAnUndefinedVersion() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        long versym = image.section(".gnu.version").offset() + 2L * 3;
        put(bytes, versym, 2, 7, ByteOrder.LITTLE_ENDIAN);

        assertFailure(bytes, versym).hasMessage("versym entry 3 at offset 0x" + Long.toHexString(versym)
                + ": version index 7 is not defined by any version definition");
    }

    @Test
    void symbolNameOutsideTheStringTable() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        long symbol = image.section(".dynsym").offset() + 24;
        put(bytes, symbol, 4, 0x7000, ByteOrder.LITTLE_ENDIAN);
        long name = image.section(".dynstr").offset() + 0x7000;

        assertFailure(bytes, name).hasMessageContaining(".dynsym entry 1 st_name")
                .hasMessageContaining("lies outside its string table");
    }

    @Test
    void noteDescriptorPastTheEndOfTheSegment() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        long note = image.section(".note").offset();
        put(bytes, note + 4, 4, 0x1000, ByteOrder.LITTLE_ENDIAN); // n_descsz of the build-id note

        assertFailure(bytes, note + 16).hasMessageContaining("PT_NOTE segment 2 note 0")
                .hasMessageContaining("n_descsz 4096 (0x1000 bytes) runs past the end of its table");
    }

    @Test
    void secondDynamicSymbolTableEntry() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        byte[] bytes = image.copy();
        long entry = dynamicEntry(image, bytes, DT_SYMTAB);
        long strtab = entry - 16;
        put(bytes, strtab, 8, DT_SYMTAB, ByteOrder.LITTLE_ENDIAN); // DT_STRTAB becomes a second DT_SYMTAB

        assertFailure(bytes, entry).hasMessageContaining("DT_SYMTAB appears twice");
    }

    @Test
    void limitsBoundWhatAnImageMayDeclare() {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().build().bytes();
        ElfLimits fewSymbols = new ElfLimits(1 << 20, 16, 64, 4, 16, 16, 64, 64);

        assertThatThrownBy(() -> ElfFile.parse(bytes, fewSymbols)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("exceeds the limit of 4");
        assertThatThrownBy(() -> ElfFile.parse(bytes, new ElfLimits(100, 16, 64, 64, 16, 16, 64, 64)))
                .isInstanceOf(ElfFormatException.class).hasMessageContaining("exceed the limit of 100");
    }

    @Test
    void namesLongerThanTheLimit() {
        Image image = ElfImageBuilder.x86_64Vdso().build();
        ElfLimits shortNames = new ElfLimits(1 << 20, 16, 64, 64, 16, 16, 64, 8);
        long dynstr = image.section(".dynstr").offset();

        assertThatThrownBy(() -> ElfFile.parse(image.bytes(), shortNames))
                .isInstanceOfSatisfying(ElfFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo("string is longer than the limit of 8 bytes");
                    assertThat(e.offset()).isBetween(dynstr, dynstr + image.section(".dynstr").size());
                });
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFailure(byte[] bytes, long offset) {
        return assertThatThrownBy(() -> ElfFile.parse(bytes)).isInstanceOfSatisfying(ElfFormatException.class,
                e -> assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset));
    }

    /** The file offset of the first dynamic entry with this tag in a little-endian ELF64 image. */
    private static long dynamicEntry(Image image, byte[] bytes, long tag) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ElfImageBuilder.Placement dynamic = image.section(".dynamic");
        for (long at = dynamic.offset(); at < dynamic.offset() + dynamic.size(); at += 16) {
            if (buffer.getLong((int) at) == tag) {
                return at;
            }
        }
        throw new IllegalArgumentException("no dynamic tag " + tag);
    }

    private static void put(byte[] bytes, long at, int width, long value, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        switch (width) {
            case 2 -> buffer.putShort((int) at, (short) value);
            case 4 -> buffer.putInt((int) at, (int) value);
            case 8 -> buffer.putLong((int) at, value);
            default -> throw new IllegalArgumentException("width " + width);
        }
    }
}
