package io.vdsoinventory.host;

/**
 * Who the running kernel says it is: uname(2) release, version and machine, the kernel's GNU build-id
 * (lower-case hex, from /sys/kernel/notes), /proc/sys/kernel/random/boot_id, /etc/machine-id, os-release
 * PRETTY_NAME and the uname nodename. Nullable fields are facts a host may not expose (notes locked down, no
 * machine-id in a container, ...).
 */
public record KernelIdentity(
        String release,
        String version,
        String machine,
        String buildId,
        String bootId,
        String machineId,
        String osPrettyName,
        String hostname) {
}
