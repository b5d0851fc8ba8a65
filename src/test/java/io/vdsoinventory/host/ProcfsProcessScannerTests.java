package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vdsoinventory.testing.ElfImageBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfsProcessScannerTests {

    private static final long BASE = 0x7ffd1000L;
    private static final int EM_386 = 3;

    @TempDir
    Path root;

    private final Map<Integer, byte[]> memory = new HashMap<>();
    private final Map<Integer, ProcessMemory.MemoryReadException> failures = new HashMap<>();
    private ElfImageBuilder.Image own;

    @BeforeEach
    void kernelImage() {
        own = ElfImageBuilder.x86_64Vdso().build();
    }

    @Test
    void scanWhenAProcessPatchedAFunctionThenMismatchNamesItAndTheOthersMatch() throws Exception {
        process(10, "sshd", own.bytes());
        byte[] patched = own.copy();
        int at = (int) own.symbolValue("__vdso_getcpu") + 2;
        patched[at] ^= (byte) 0xff;
        process(11, "victim", patched);

        ProcessScan scan = scanner().scan(new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes()));

        assertThat(scan.compared()).isEqualTo(2);
        assertThat(scan.mismatches()).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(11);
            assertThat(p.command()).isEqualTo("victim");
            assertThat(p.executable()).isEqualTo("/usr/bin/victim");
            assertThat(p.container()).isEqualTo("0::/system.slice/victim.service");
            assertThat(p.differingSymbols()).containsExactly("__vdso_getcpu");
            assertThat(p.detail()).contains("0x" + Integer.toHexString(at));
        });
    }

    @Test
    void scanWhenProcessesHaveNoVdsoExitOrCannotBeReadThenRecordedAsSuchNotFailed() throws Exception {
        process(20, "kthreadd", null);
        process(21, "gone", own.bytes());
        failures.put(21, new ProcessMemory.MemoryReadException("exited", true));
        process(22, "other-user", own.bytes());
        failures.put(22, new ProcessMemory.MemoryReadException("process_vm_readv: EPERM", false));
        Files.createDirectories(root.resolve("proc/self"));

        ProcessScan scan = scanner().scan(new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes()));

        assertThat(scan.processes()).extracting(ProcessVdso::pid, ProcessVdso::status).containsExactly(
                tuple(20, ProcessVdso.Status.NO_VDSO),
                tuple(21, ProcessVdso.Status.EXITED),
                tuple(22, ProcessVdso.Status.UNREADABLE));
        assertThat(scan.compared()).isZero();
    }

    @Test
    void scanWhenAMappingIsOversizedOrMapsDoNotParseThenSkippedAndTheScanIsIncomplete() throws Exception {
        process(50, "normal", own.bytes());
        Path huge = Files.createDirectories(root.resolve("proc/51"));
        Files.writeString(huge.resolve("maps"), "7f0000000000-7f0010000000 r-xp 00000000 00:00 0 [vdso]\n");
        Path garbled = Files.createDirectories(root.resolve("proc/52"));
        Files.writeString(garbled.resolve("maps"), "not a maps line [vdso]\n");

        ProcessScan scan = scanner().scan(new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes()));

        assertThat(scan.processes()).extracting(ProcessVdso::pid, ProcessVdso::status).containsExactly(
                tuple(50, ProcessVdso.Status.MATCH),
                tuple(51, ProcessVdso.Status.SKIPPED),
                tuple(52, ProcessVdso.Status.SKIPPED));
        assertThat(scan.complete()).isFalse();
    }

    @Test
    void scanWhenCapSysPtraceIsEffectiveThenPrivilegedElseNot() throws Exception {
        process(60, "only", own.bytes());
        Path self = Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(self.resolve("status"), "Name:\tjava\nCapEff:\t0000000000080000\n");
        CapturedVdso captured = new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes());

        assertThat(scanner().scan(captured).privileged()).isTrue();
        assertThat(scanner().scan(captured).complete()).isTrue();

        Files.writeString(self.resolve("status"), "Name:\tjava\nCapEff:\t000001fffff7ffff\n");
        assertThat(scanner().scan(captured).privileged()).as("every capability but CAP_SYS_PTRACE").isFalse();
    }

    @Test
    void scanWhen32BitProcessesThenComparedWithTheMajority32BitImage() throws Exception {
        byte[] vdso32 = ElfImageBuilder.elf32(ByteOrder.LITTLE_ENDIAN, EM_386).versions("LINUX_2.5")
                .symbol(ElfImageBuilder.SymbolSpec.function("__vdso_clock_gettime", "LINUX_2.5")).build().bytes();
        byte[] patched32 = vdso32.clone();
        patched32[patched32.length - 1] ^= 1;
        process(30, "first-but-patched", patched32);
        process(31, "compat-a", vdso32);
        process(32, "compat-b", vdso32);
        process(33, "native", own.bytes());

        ProcessScan scan = scanner().scan(new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes()));

        assertThat(scan.mismatches()).extracting(ProcessVdso::pid).containsExactly(30);
        assertThat(scan.compared()).isEqualTo(4);
    }

    @Test
    void scanWhenTheMappingIsNotWhereAuxvSaysThenMoved() throws Exception {
        process(40, "criu-restored", own.bytes());
        ByteBuffer auxv = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        auxv.putLong(NativeProcess.AT_SYSINFO_EHDR).putLong(BASE + 0x10000).putLong(0).putLong(0);
        Files.write(root.resolve("proc/40/auxv"), auxv.array());

        ProcessScan scan = scanner().scan(new CapturedVdso(BASE, BASE + own.bytes().length, own.bytes()));

        assertThat(scan.processes()).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(ProcessVdso.Status.MATCH);
            assertThat(p.moved()).isTrue();
        });
    }

    private ProcfsProcessScanner scanner() {
        return new ProcfsProcessScanner(new HostFiles(root), (pid, address, length) -> {
            if (failures.containsKey(pid)) {
                throw failures.get(pid);
            }
            assertThat(address).isEqualTo(BASE);
            return memory.get(pid);
        });
    }

    /** A fake /proc/pid: comm, exe, cgroup, and maps with a [vdso] line sized to {@code image} (none when null). */
    private void process(int pid, String command, byte[] image) throws IOException {
        Path dir = Files.createDirectories(root.resolve("proc/" + pid));
        Files.writeString(dir.resolve("comm"), command + "\n");
        Files.writeString(dir.resolve("cgroup"), "0::/system.slice/" + command + ".service\n");
        Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/bin/" + command));
        String maps = "55d0c0a00000-55d0c0a21000 r-xp 00000000 08:01 1311 /usr/bin/" + command + "\n";
        if (image != null) {
            maps += Long.toHexString(BASE) + "-" + Long.toHexString(BASE + image.length)
                    + " r-xp 00000000 00:00 0                          [vdso]\n";
            memory.put(pid, image);
        }
        Files.writeString(dir.resolve("maps"), maps);
    }
}
