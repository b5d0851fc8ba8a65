package io.vdsoinventory.vdso;

/** The structural anomalies the vDSO model detects (skeleton: the list grows with the rules). */
public enum AnomalyKind {
    /** Non-zero bytes after the ELF extent of a dumped mapping: room for hidden code. */
    HIDDEN_BYTES,
    /** A CPU-alternatives patch site holding neither the original nor a listed replacement. */
    UNKNOWN_PATCH_SITE_CONTENT,
    /** A PT_LOAD segment that is both writable and executable. */
    WRITABLE_EXECUTABLE_SEGMENT,
    /** A defined symbol whose value/size lies outside the section it names. */
    SYMBOL_OUTSIDE_SECTION
}
