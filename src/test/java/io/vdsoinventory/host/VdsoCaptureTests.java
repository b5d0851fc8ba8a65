package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdsoCaptureTests {

    private static final long BASE = 0x10000;
    private static final byte[] IMAGE = imageBytes();

    @TempDir
    Path root;

    @Test
    void captureOfThisProcessAgreesWithAuxvMapsAndProcMem() throws Exception {
        NativeProcess jna = new JnaNativeProcess();
        HostFiles system = HostFiles.system();

        CapturedVdso vdso = new VdsoCapture(jna, system).capture().orElseThrow();

        assertThat(vdso.start()).isEqualTo(jna.auxiliaryValue(NativeProcess.AT_SYSINFO_EHDR));
        MapsEntry mapped = ProcMaps.vdso(system.readText(HostFiles.SELF_MAPS)).orElseThrow();
        assertThat(vdso.start()).isEqualTo(mapped.start());
        assertThat(vdso.end()).isEqualTo(mapped.end());
        assertThat(vdso.bytes()).hasSize((int) mapped.length())
                .startsWith(0x7f, 'E', 'L', 'F')
                .isEqualTo(system.readAt(HostFiles.SELF_MEM, vdso.start(), vdso.bytes().length));
    }

    @Test
    void captureWhenProcessHasNoVdsoIsEmpty() throws Exception {
        writeMaps("7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0\n");

        assertThat(new VdsoCapture(new FakeProcess(0, new byte[0]), new HostFiles(root)).capture()).isEmpty();
    }

    @Test
    void captureReadsTheWholeMappingThroughBothPaths() throws Exception {
        writeMaps(vdsoLine(BASE, BASE + IMAGE.length));
        writeMem(BASE, IMAGE);

        Optional<CapturedVdso> vdso = new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture();

        assertThat(vdso).hasValueSatisfying(captured -> {
            assertThat(captured.start()).isEqualTo(BASE);
            assertThat(captured.end()).isEqualTo(BASE + IMAGE.length);
            assertThat(captured.bytes()).isEqualTo(IMAGE);
        });
    }

    @Test
    void captureWhenProcMemDiffersNamesBothPathsAndTheOffset() throws Exception {
        writeMaps(vdsoLine(BASE, BASE + IMAGE.length));
        byte[] patched = IMAGE.clone();
        patched[0x123] = (byte) 0xcc;
        writeMem(BASE, patched);

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("through memory")
                .withMessageContaining(root.resolve("proc/self/mem").toString())
                .withMessageContaining("offset 0x123")
                .withMessageContaining("0xcc");
    }

    @Test
    void captureWhenAuxvAndMapsDisagreeNamesBothAddresses() throws Exception {
        writeMaps(vdsoLine(BASE, BASE + IMAGE.length));

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(0x20000, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("0x20000")
                .withMessageContaining("starts at 0x10000");
    }

    @Test
    void captureWhenAuxvNamesAVdsoThatMapsLacksFails() throws Exception {
        writeMaps("7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0\n");

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("no [vdso] line");
    }

    @Test
    void captureWhenProcMemIsShortFails() throws Exception {
        writeMaps(vdsoLine(BASE, BASE + IMAGE.length));
        writeMem(BASE, Arrays.copyOf(IMAGE, 100));

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("ended after 100 of " + IMAGE.length + " bytes");
    }

    @Test
    void captureWhenMappingIsImplausiblyLargeFailsBeforeAllocating() throws Exception {
        writeMaps(vdsoLine(BASE, BASE + (1L << 40)));

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("cannot be a vDSO");
    }

    @Test
    void captureOfAKernelHalfAddressFailsWithoutReading() throws Exception {
        long kernelHalf = 0xffffffffff600000L;
        writeMaps(vdsoLine(kernelHalf, kernelHalf + 0x1000));

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(kernelHalf, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("0xffffffffff600000 + 4096 is beyond the positions");
    }

    @Test
    void captureWhenMapsIsMalformedNamesTheFile() throws Exception {
        writeMaps("1000z-3000 r-xp 00000000 00:00 0   [vdso]\n");

        assertThatExceptionOfType(HostReadException.class)
                .isThrownBy(() -> new VdsoCapture(new FakeProcess(BASE, IMAGE), new HostFiles(root)).capture())
                .withMessageContaining("cannot parse " + root.resolve("proc/self/maps"))
                .withMessageContaining("start address '1000z'");
    }

    private void writeMaps(String text) throws IOException {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/maps"), text);
    }

    /** A sparse file standing in for /proc/self/mem: {@code bytes} at file offset {@code address}. */
    private void writeMem(long address, byte[] bytes) throws IOException {
        Files.createDirectories(root.resolve("proc/self"));
        try (FileChannel mem = FileChannel.open(root.resolve("proc/self/mem"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            mem.write(ByteBuffer.wrap(bytes), address);
        }
    }

    private static String vdsoLine(long start, long end) {
        return Long.toHexString(start) + "-" + Long.toHexString(end) + " r-xp 00000000 00:00 0   [vdso]\n";
    }

    private static byte[] imageBytes() {
        byte[] bytes = new byte[0x2000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    /** A process whose auxiliary vector and memory are given: one mapping of {@code memory} at {@code base}. */
    private record FakeProcess(long base, byte[] memory) implements NativeProcess {

        @Override
        public long auxiliaryValue(long type) {
            return type == AT_SYSINFO_EHDR ? base : 0;
        }

        @Override
        public Uname uname() {
            throw new UnsupportedOperationException("capture does not need uname");
        }

        @Override
        public byte[] readMemory(long address, int length) {
            int from = Math.toIntExact(address - base);
            return Arrays.copyOfRange(memory, from, from + length);
        }
    }
}
