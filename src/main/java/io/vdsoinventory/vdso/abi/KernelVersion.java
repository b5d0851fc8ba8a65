package io.vdsoinventory.vdso.abi;

import java.util.Comparator;

/**
 * A mainline kernel release such as {@code 2.6.23} or {@code 6.11}: the release that first exported a vDSO
 * symbol. Ordered by number, not by text ({@code 5.10} is after {@code 5.9}).
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    private static final Comparator<KernelVersion> ORDER = Comparator.comparingInt(KernelVersion::major)
            .thenComparingInt(KernelVersion::minor)
            .thenComparingInt(KernelVersion::patch);

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

    @Override
    public int compareTo(KernelVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
