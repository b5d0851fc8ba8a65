package io.vdsoinventory.server.detection;

/** What a finding says about a host (DESIGN.md "Detection"). */
public enum FindingKind {
    UNKNOWN_SYMBOL,
    UNEXPECTED_VERSION,
    PEER_MISMATCH,
    CHANGED_WITHOUT_REBOOT,
    PROCESS_VDSO_MISMATCH,
    STRUCTURAL_ANOMALY,
    UNTRUSTED_IMAGE,
    KERNEL_DRIFT,
    HOST_SILENT,
    NO_VDSO
}
