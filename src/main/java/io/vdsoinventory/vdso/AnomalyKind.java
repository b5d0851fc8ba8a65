package io.vdsoinventory.vdso;

/** The structural anomalies the vDSO model detects in one image, without any other image to compare with. */
public enum AnomalyKind {
    /** Non-zero bytes after the ELF extent of a dumped mapping: room for hidden code. */
    HIDDEN_BYTES,
    /** A CPU-alternatives patch site holding neither padding nor one of its listed replacements. */
    UNKNOWN_PATCH_SITE_CONTENT,
    /** An alternatives table that fits none of the entry layouts kernels have used: its sites cannot be masked. */
    MALFORMED_ALTERNATIVES,
    /** A PT_LOAD segment that is both writable and executable. */
    WRITABLE_EXECUTABLE_SEGMENT,
    /** A defined symbol whose value and size lie outside the section it names. */
    SYMBOL_OUTSIDE_SECTION,
    /** The SysV and GNU hash tables and the symbol table disagree on how many symbols there are. */
    HASH_TABLE_MISMATCH,
    /** The section headers were damaged and ignored; the image was read through PT_DYNAMIC alone. */
    SECTION_HEADERS_IGNORED,
    /** A dynamic entry that would make a loader run or load code (DT_NEEDED, DT_INIT, ...): no vDSO has one. */
    UNEXPECTED_DYNAMIC_ENTRY
}
