package io.vdsoinventory.server.detection;

/** How urgent a finding is, least first. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
