package io.vdsoinventory.vdso;

/** A structural oddity of an image: what kind, and a human-readable detail naming offsets and values. */
public record Anomaly(AnomalyKind kind, String detail) {
}
