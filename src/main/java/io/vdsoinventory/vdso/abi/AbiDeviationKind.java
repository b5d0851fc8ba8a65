package io.vdsoinventory.vdso.abi;

/** How an image's exports differ from the catalogued ABI of its architecture. */
public enum AbiDeviationKind {
    /** A defined GLOBAL or WEAK symbol that no catalogued ABI of the image's arch exports. */
    UNKNOWN_SYMBOL,
    /** A version definition, or a symbol's version, that the arch's ABIs do not declare. */
    UNEXPECTED_VERSION,
    /**
     * A symbol every ABI the image may be exports, without a Kconfig gate, in the kernel release it runs under,
     * that the image does not define. Only the release-aware {@code AbiCatalog.check} reports it.
     */
    MISSING_SYMBOL,
    /** The arch has no catalog entry, so the image's exports cannot be checked at all. */
    UNCATALOGUED_ARCH
}
