package io.vdsoinventory.vdso.abi;

/** How well the catalog knows the kernel release that brought a symbol. */
public enum Certainty {
    /** Stated by a primary source named in the catalog (kernel commit, glibc commit, vdso(7), a real image). */
    VERIFIED,
    /** Inferred (e.g. from when the port or feature landed) and not confirmed against a source. */
    GUESS
}
