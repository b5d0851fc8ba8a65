package io.vdsoinventory.server.detection;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A host's place in a cohort: the cohort and the variant the host contributes to it. */
record Membership(Cohort cohort, String variant) {

    /** Key order, the order in which counts are locked (two evaluations never wait on each other in a loop). */
    static final Comparator<Membership> KEY_ORDER = Comparator.comparing((Membership m) -> m.cohort().key())
            .thenComparing(Membership::variant);

    /** The membership of a stored cohort key and variant; null when the host has none. */
    static @Nullable Membership of(@Nullable String cohortKey, @Nullable String variant) {
        return cohortKey == null || variant == null ? null : new Membership(Cohort.parse(cohortKey), variant);
    }

    /** The memberships that exist among {@code memberships}. */
    static List<Membership> present(@Nullable Membership... memberships) {
        return Stream.of(memberships).filter(Objects::nonNull).map(Objects::requireNonNull).toList();
    }
}
