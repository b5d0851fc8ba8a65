package io.vdsoinventory.host;

/**
 * Who the running kernel says it is. Nullable fields are facts a host may not expose
 * (no /sys/kernel/notes, no /etc/machine-id, ...).
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
