package io.vdsoinventory.vdso.abi;

import java.util.Objects;

/**
 * One difference between an image and the expected ABI.
 *
 * @param kind    what kind of difference
 * @param subject the symbol, version or arch name it is about
 * @param detail  a sentence for people, naming the subject and the arch
 * @param source  where the catalog's expectation comes from: the kernel file(s) whose version script lists (or
 *                does not list) the subject, as the catalog records them
 */
public record AbiDeviation(AbiDeviationKind kind, String subject, String detail, String source) {

    public AbiDeviation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(source, "source");
    }
}
