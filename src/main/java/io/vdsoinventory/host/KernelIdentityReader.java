package io.vdsoinventory.host;

import java.util.Optional;

/** Collects {@link KernelIdentity} from uname(2) and the host's identity files; missing files become nulls. */
final class KernelIdentityReader {

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

    private Optional<String> kernelBuildId() {
        return Optional.empty();
    }

    /** os-release(5): /etc/os-release, falling back to /usr/lib/os-release. */
    private Optional<String> osPrettyName() {
        return files.optionalText(HostFiles.OS_RELEASE)
                .or(() -> files.optionalText(HostFiles.OS_RELEASE_FALLBACK))
                .flatMap(text -> OsRelease.value(text, "PRETTY_NAME"));
    }
}
