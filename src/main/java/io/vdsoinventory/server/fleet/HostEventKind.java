package io.vdsoinventory.server.fleet;

/** What happened to a host, as recorded in its append-only timeline ({@code host_events.kind}). */
public enum HostEventKind {
    /** The host enrolled for the first time. */
    ENROLLED,
    /** The host enrolled again with the same host key and got a new node key. */
    REENROLLED,
    /** The first report after enrolment: the host's initial kernel and image. */
    FIRST_REPORT,
    /** The kernel release, version or build-id changed. */
    KERNEL_CHANGED,
    /** The reported vDSO image (sha256) changed. */
    IMAGE_CHANGED,
    /** The boot id changed. */
    REBOOTED,
    /** The hostname changed. */
    HOSTNAME_CHANGED,
    /** The operator labels changed. */
    LABELS_CHANGED,
    /** A finding was opened (written by detection). */
    FINDING_OPENED,
    /** A finding was resolved (written by detection). */
    FINDING_RESOLVED,
    /** An admin suppressed a finding, with a reason (written by detection). */
    FINDING_SUPPRESSED,
    /**
     * An admin trusted or blocked the image the host runs, or imported it as a reference (detail: verdict,
     * normalizedSha256, note, by): written on every host running it when the decision is made.
     */
    IMAGE_TRUST_DECIDED,
    /** The agent's full offline spool dropped observations (detail: droppedHeartbeats, droppedChanges). */
    OBSERVATIONS_DROPPED,
    /** An admin, or the automatic retirement after a silence, retired the host (detail: by, reason). */
    RETIRED,
    /** A retired host enrolled again and is active again (detail: retiredAt, retiredBy). */
    UNRETIRED
}
