package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelIdentityReaderTests {

    private static final NativeProcess.Uname UNAME =
            new NativeProcess.Uname("web-17", "6.1.0-test", "#1 SMP PREEMPT_DYNAMIC", "x86_64");
    /** What a daemon read earlier in boot 0b084297-...: its kernel then was "6.1.0-before". */
    private static final KernelIdentity KNOWN = new KernelIdentity("6.1.0-before", "#1", "x86_64", "abcd",
            "0b084297-d750-40f5-b668-741e14a7521a", "3d12", "Debian", "old-name");

    @TempDir
    Path root;

    @Test
    void readCombinesUnameAndIdentityFiles() throws IOException {
        write("proc/sys/kernel/random/boot_id", "0b084297-d750-40f5-b668-741e14a7521a\n");
        write("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        write("etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read();

        assertThat(identity.release()).isEqualTo("6.1.0-test");
        assertThat(identity.version()).isEqualTo("#1 SMP PREEMPT_DYNAMIC");
        assertThat(identity.machine()).isEqualTo("x86_64");
        assertThat(identity.hostname()).isEqualTo("web-17");
        assertThat(identity.bootId()).isEqualTo("0b084297-d750-40f5-b668-741e14a7521a");
        assertThat(identity.machineId()).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");
        assertThat(identity.osPrettyName()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void readWhenFilesAreMissingGivesNulls() {
        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read();

        assertThat(identity.release()).isEqualTo("6.1.0-test");
        assertThat(identity.buildId()).isNull();
        assertThat(identity.bootId()).isNull();
        assertThat(identity.machineId()).isNull();
        assertThat(identity.osPrettyName()).isNull();
    }

    @Test
    void readTakesTheGnuBuildIdFromTheKernelNotes() throws IOException {
        byte[] buildId = HexFormat.of().parseHex("abf9ec0ec5946600c90641cf5db998472fac410b");
        write("sys/kernel/notes", notes(
                note("Xen", 18, new byte[] {0, 0, 0, 1}),
                note("Linux", 0x101, new byte[] {0}),
                note("GNU", 3, buildId)));

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read();

        assertThat(identity.buildId()).isEqualTo("abf9ec0ec5946600c90641cf5db998472fac410b");
    }

    @Test
    void readWhenKernelNotesAreTruncatedGivesNoBuildId() throws IOException {
        byte[] whole = notes(note("GNU", 3, new byte[20]));
        write("sys/kernel/notes", Arrays.copyOf(whole, whole.length - 5));

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read();

        assertThat(identity.buildId()).isNull();
        assertThat(identity.release()).isEqualTo("6.1.0-test");
    }

    @Test
    void readWhenKernelNotesHaveNoBuildIdGivesNull() throws IOException {
        write("sys/kernel/notes", notes(note("Linux", 0x101, new byte[] {0}), note("GNU", 1, new byte[16])));

        assertThat(new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read().buildId()).isNull();
    }

    @Test
    void readFallsBackToUsrLibOsRelease() throws IOException {
        write("usr/lib/os-release", "PRETTY_NAME='Fedora Linux 41 (Cloud Edition)'\n");

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).read();

        assertThat(identity.osPrettyName()).isEqualTo("Fedora Linux 41 (Cloud Edition)");
    }

    @Test
    void readOfThisHostMatchesWhatTheJvmAndProcSay() throws IOException {
        KernelIdentity identity = LinuxHost.kernelIdentity();

        // the JVM fills os.version from uname(2) release itself
        assertThat(identity.release()).isEqualTo(System.getProperty("os.version"));
        assertThat(identity.bootId()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
        assertThat(identity.machine()).isNotBlank();
        assertThat(identity.version()).isNotBlank();
        if (Files.isReadable(Path.of("/sys/kernel/notes"))) {
            assertThat(identity.buildId()).matches("[0-9a-f]{40}");
        }
    }

    @Test
    void refreshWhenTheBootIsTheSameThenOnlyBootIdAndNodeNameAreRead() throws IOException {
        write("proc/sys/kernel/random/boot_id", "0b084297-d750-40f5-b668-741e14a7521a\n");

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).refresh(KNOWN);

        assertThat(identity).isEqualTo(new KernelIdentity("6.1.0-before", "#1", "x86_64", "abcd",
                "0b084297-d750-40f5-b668-741e14a7521a", "3d12", "Debian", "web-17"));
    }

    @Test
    void refreshWhenTheBootChangedThenEverythingIsReadAgain() throws IOException {
        write("proc/sys/kernel/random/boot_id", "11111111-d750-40f5-b668-741e14a7521a\n");

        KernelIdentity identity = new KernelIdentityReader(new UnameOnly(UNAME), new HostFiles(root)).refresh(KNOWN);

        assertThat(identity.release()).isEqualTo("6.1.0-test");
        assertThat(identity.buildId()).isNull();
        assertThat(identity.bootId()).isEqualTo("11111111-d750-40f5-b668-741e14a7521a");
    }

    private void write(String relative, String text) throws IOException {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** One Elf_Nhdr note in native order with name and descriptor padded to 4 bytes, as /sys/kernel/notes holds. */
    private static byte[] note(String owner, int type, byte[] descriptor) {
        byte[] name = (owner + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer note = ByteBuffer.allocate(12 + padded(name.length) + padded(descriptor.length))
                .order(ByteOrder.nativeOrder());
        note.putInt(name.length).putInt(descriptor.length).putInt(type);
        note.put(name).position(12 + padded(name.length));
        note.put(descriptor);
        return note.array();
    }

    private static byte[] notes(byte[]... notes) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(notes).mapToInt(n -> n.length).sum());
        Arrays.stream(notes).forEach(all::put);
        return all.array();
    }

    private static int padded(int length) {
        return (length + 3) & -4;
    }

    /** A process that only answers uname(2); identity reading needs nothing else of it. */
    private record UnameOnly(Uname uname) implements NativeProcess {

        @Override
        public long auxiliaryValue(long type) {
            throw new UnsupportedOperationException("identity does not read the auxiliary vector");
        }

        @Override
        public byte[] readMemory(long address, int length) {
            throw new UnsupportedOperationException("identity does not read memory");
        }
    }
}
