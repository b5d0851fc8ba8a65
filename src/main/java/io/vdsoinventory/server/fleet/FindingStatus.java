package io.vdsoinventory.server.fleet;

/** Where a finding stands; an open or suppressed finding resolves itself when its condition clears. */
public enum FindingStatus {
    OPEN,
    RESOLVED,
    SUPPRESSED
}
