package io.vdsoinventory.host;

/**
 * One line of {@code /proc/<pid>/maps}: {@code start-end perms offset dev inode [pathname]} (proc(5)).
 * {@code pathname} is empty for anonymous mappings and names pseudo-mappings such as {@code [vdso]}.
 */
record MapsEntry(long start, long end, String permissions, long offset, String device, long inode, String pathname) {

    /** Length of the mapping in bytes. */
    long length() {
        return end - start;
    }
}
