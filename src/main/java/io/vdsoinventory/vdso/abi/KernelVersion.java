package io.vdsoinventory.vdso.abi;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mainline kernel release such as {@code 2.6.23} or {@code 6.11}: the release that first exported a vDSO
 * symbol. Ordered by number, not by text ({@code 5.10} is after {@code 5.9}).
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    private static final Comparator<KernelVersion> ORDER = Comparator.comparingInt(KernelVersion::major)
            .thenComparingInt(KernelVersion::minor)
            .thenComparingInt(KernelVersion::patch);

    private static final Pattern RELEASE_PREFIX = Pattern.compile("([0-9]{1,4})\\.([0-9]{1,4})(?:\\.([0-9]{1,4}))?");

    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("kernel version parts must not be negative: "
                    + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH} (decimal, at most four digits a part).
     *
     * @throws IllegalArgumentException when {@code text} has another form
     */
    public static KernelVersion parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("not a kernel version (MAJOR.MINOR[.PATCH]): '" + text + "'");
        }
        int[] numbers = new int[3];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("[0-9]{1,4}")) {
                throw new IllegalArgumentException("not a kernel version (MAJOR.MINOR[.PATCH]): '" + text + "'");
            }
            numbers[i] = Integer.parseInt(parts[i]);
        }
        return new KernelVersion(numbers[0], numbers[1], numbers[2]);
    }

    /**
     * The mainline release a uname(2) release string starts with ({@code 6.1.0-18-amd64} is 6.1.0,
     * {@code 6.18.44} is 6.18.44); empty when it does not start with {@code MAJOR.MINOR}.
     */
    public static Optional<KernelVersion> ofRelease(String unameRelease) {
        Matcher matcher = RELEASE_PREFIX.matcher(unameRelease);
        if (!matcher.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(new KernelVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3))));
    }

    @Override
    public int compareTo(KernelVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
