package io.vdsoinventory.server.security;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Who a known bearer token is, remembered by the token's hash for a short time so that the bearer check of a
 * heartbeat costs no database round trip. Only known tokens are remembered: an unknown token is looked up every
 * time, so guessing cannot fill memory. Memory is bounded: when {@code maxEntries} is reached the expired entries
 * are dropped, and all of them if none had expired. A revoked credential is forgotten at once by the instance that
 * revoked it; other instances of the service honour it until their entry expires, at most {@code ttl} later.
 */
final class CredentialCache {

    /** A known caller: the host of a node key, or the name and role of an API token. */
    record Caller(@Nullable Long hostId, CredentialRepository.@Nullable ApiToken apiToken) {
    }

    private record Entry(Caller caller, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long ttlNanos;
    private final int maxEntries;

    CredentialCache(LongSupplier nanoClock, Duration ttl, int maxEntries) {
        this.nanoClock = nanoClock;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The caller remembered for {@code tokenHash}, unless it expired. */
    Optional<Caller> get(String tokenHash) {
        Entry entry = entries.get(tokenHash);
        if (entry == null || nanoClock.getAsLong() - entry.expiresAt() >= 0) {
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    /** Forgets what is remembered for {@code tokenHash}. */
    void forget(String tokenHash) {
        entries.remove(tokenHash);
    }

    /** Remembers {@code caller} for {@code tokenHash} for the time to live. */
    void put(String tokenHash, Caller caller) {
        long now = nanoClock.getAsLong();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> now - entry.expiresAt() >= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(tokenHash, new Entry(caller, now + ttlNanos));
    }
}
