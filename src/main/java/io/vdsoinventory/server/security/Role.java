package io.vdsoinventory.server.security;

/** What a person's API token may do. An admin may do everything a viewer may. */
public enum Role {
    /** Read the inventory. */
    VIEWER,
    /** Read the inventory and administer it (tokens, trust, suppressions). */
    ADMIN;

    boolean includes(Role required) {
        return compareTo(required) >= 0;
    }
}
