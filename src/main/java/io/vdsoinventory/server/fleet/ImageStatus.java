package io.vdsoinventory.server.fleet;

/** Whether the service could analyse an image's bytes ({@code images.status}). */
public enum ImageStatus {
    /** Parsed: identities, symbols and anomalies come from the bytes. */
    ANALYZED,
    /** Not a readable ELF image: kept as evidence with the parse error. */
    MALFORMED,
    /** Reported by a host but its bytes have not arrived yet (never stored in {@code images}). */
    PENDING
}
