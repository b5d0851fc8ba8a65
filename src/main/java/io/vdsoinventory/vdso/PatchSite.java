package io.vdsoinventory.vdso;

/**
 * One CPU-alternatives patch site: the bytes at {@code [offset, offset + length)} that the kernel rewrites at
 * boot for the running CPU, and what the image holds there now.
 *
 * @param offset file offset of the site
 * @param length bytes the kernel may rewrite (the original instruction's length)
 * @param content what the site holds
 */
public record PatchSite(long offset, int length, Content content) {

    /** What a site holds, judged against the replacements the image itself lists for it. */
    public enum Content {
        /** One of the listed replacements, NOP-padded: the kernel patched it for this CPU. */
        REPLACEMENT,
        /** Only padding: an empty original, or a replacement that removes the instruction. */
        PADDING,
        /**
         * Anything else. In a build-directory image this is the original instruction; in a live mapping it is
         * the original left for a CPU without the feature, or tampering: one image alone cannot tell which.
         */
        OTHER
    }
}
