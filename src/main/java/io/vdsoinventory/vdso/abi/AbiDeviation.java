package io.vdsoinventory.vdso.abi;

import java.util.Objects;

/**
 * One difference between an image and the expected ABI.
 *
 * @param kind    what kind of difference
 * @param subject the symbol, version or arch name it is about
 * @param detail  a sentence for people, naming the subject and the arch
 */
public record AbiDeviation(AbiDeviationKind kind, String subject, String detail) {

    public AbiDeviation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }
}
