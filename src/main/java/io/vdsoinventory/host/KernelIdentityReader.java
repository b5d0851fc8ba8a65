package io.vdsoinventory.host;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfNote;
import java.nio.ByteOrder;
import java.util.Optional;

/** Collects {@link KernelIdentity} from uname(2) and the host's identity files; missing files become nulls. */
final class KernelIdentityReader {

    private static final String GNU_OWNER = "GNU";

    private final NativeProcess process;
    private final HostFiles files;

    KernelIdentityReader(NativeProcess process, HostFiles files) {
        this.process = process;
        this.files = files;
    }

    KernelIdentity read() {
        NativeProcess.Uname uname = process.uname();
        return new KernelIdentity(
                uname.release(),
                uname.version(),
                uname.machine(),
                kernelBuildId().orElse(null),
                files.optionalText(HostFiles.BOOT_ID).orElse(null),
                files.optionalText(HostFiles.MACHINE_ID).orElse(null),
                osPrettyName().orElse(null),
                uname.nodename());
    }

    /**
     * The identity again, cheaply, for a daemon that read {@code known} earlier: when the boot id is still the
     * same, only it and the node name (sethostname(2) changes it at any time) are read. Release, version, machine
     * and build-id belong to the running kernel and change only with a boot (kexec included), which changes the
     * boot id; machine-id and os-release are carried over from {@code known} as well.
     */
    KernelIdentity refresh(KernelIdentity known) {
        String bootId = files.optionalText(HostFiles.BOOT_ID).orElse(null);
        if (bootId == null || !bootId.equals(known.bootId())) {
            return read();
        }
        return new KernelIdentity(known.release(), known.version(), known.machine(), known.buildId(), bootId,
                known.machineId(), known.osPrettyName(), process.uname().nodename());
    }

    /**
     * /sys/kernel/notes is the kernel image's raw .notes section (kernel/ksysfs.c notes_read), in the kernel's own
     * byte order, which is this process's native order. Unreadable (kernel lockdown) or malformed notes give no
     * build-id rather than failing the whole identity.
     */
    private Optional<String> kernelBuildId() {
        return files.optionalBytes(HostFiles.KERNEL_NOTES).flatMap(KernelIdentityReader::gnuBuildId);
    }

    static Optional<String> gnuBuildId(byte[] notes) {
        try {
            return ElfNote.parseAll(notes, ByteOrder.nativeOrder()).stream()
                    .filter(note -> note.is(GNU_OWNER, ElfNote.NT_GNU_BUILD_ID))
                    .findFirst()
                    .map(ElfNote::descriptorHex);
        } catch (ElfFormatException e) {
            return Optional.empty();
        }
    }

    /** os-release(5): /etc/os-release, falling back to /usr/lib/os-release. */
    private Optional<String> osPrettyName() {
        return files.optionalText(HostFiles.OS_RELEASE)
                .or(() -> files.optionalText(HostFiles.OS_RELEASE_FALLBACK))
                .flatMap(text -> OsRelease.value(text, "PRETTY_NAME"));
    }
}
