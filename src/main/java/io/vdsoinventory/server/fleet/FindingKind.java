package io.vdsoinventory.server.fleet;

/** What a finding says about a host, each with its severity (DESIGN.md "Detection"). */
public enum FindingKind {
    /** A defined export outside the catalogued ABI of the image's arch. */
    UNKNOWN_SYMBOL(Severity.HIGH),
    /** A version definition the arch's ABI does not declare. */
    UNEXPECTED_VERSION(Severity.HIGH),
    /** Different code than the cohort's baseline (same vDSO build-id, or same claimed kernel identity). */
    PEER_MISMATCH(Severity.CRITICAL),
    /** The normalized image changed while the boot id stayed the same. */
    CHANGED_WITHOUT_REBOOT(Severity.CRITICAL),
    /** The agent's process scan found processes whose vDSO differs from the kernel's. */
    PROCESS_VDSO_MISMATCH(Severity.CRITICAL),
    /** The agent's clock check: the vDSO's clock_gettime differs from the system call by more than the tolerance. */
    VDSO_CLOCK_MISMATCH(Severity.CRITICAL),
    /** An anomaly of the image alone (hidden bytes, W+X segment, unknown patch-site content, unreadable ELF, ...). */
    STRUCTURAL_ANOMALY(Severity.MEDIUM),
    /** An image an admin blocked: the host runs bytes an admin decided are bad. */
    BLOCKED_IMAGE(Severity.HIGH),
    /** Allowlist mode: an image no admin trusted. */
    UNTRUSTED_IMAGE(Severity.MEDIUM),
    /** The kernel or image changed across a reboot: the normal upgrade path, recorded for drift metrics. */
    KERNEL_DRIFT(Severity.INFO),
    /** The agent was asked to scan processes and could not read every one: the scan vouches for part only. */
    INCOMPLETE_SCAN(Severity.LOW),
    /**
     * The host key was enrolled again, from another address, while the node key it replaced still reported: two
     * agents share the key (a cloned machine-id) or one took the key over.
     */
    HOST_KEY_CONFLICT(Severity.HIGH),
    /** The host missed its report deadline. */
    HOST_SILENT(Severity.LOW),
    /** The host reported no vDSO. */
    NO_VDSO(Severity.INFO);

    private final Severity severity;

    FindingKind(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
