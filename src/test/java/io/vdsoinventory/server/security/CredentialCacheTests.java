package io.vdsoinventory.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CredentialCacheTests {

    private final AtomicLong now = new AtomicLong(1_000);
    private final CredentialCache cache = new CredentialCache(now::get, Duration.ofNanos(100), 3);

    @Test
    void getWhenRememberedThenSameCallerUntilTheTimeToLiveEnds() {
        CredentialCache.Caller host = new CredentialCache.Caller(7L, null);
        cache.put("hash-a", host);

        now.addAndGet(99);
        assertThat(cache.get("hash-a")).contains(host);
        now.addAndGet(1);
        assertThat(cache.get("hash-a")).isEmpty();
    }

    @Test
    void getWhenNeverRememberedThenEmpty() {
        cache.put("hash-a", new CredentialCache.Caller(null, new CredentialRepository.ApiToken("alice", Role.ADMIN, null)));

        assertThat(cache.get("hash-b")).isEmpty();
    }

    @Test
    void putWhenFullThenExpiredEntriesGoFirstAndTheBoundHolds() {
        cache.put("old", new CredentialCache.Caller(1L, null));
        now.addAndGet(60);
        cache.put("b", new CredentialCache.Caller(2L, null));
        cache.put("c", new CredentialCache.Caller(3L, null));
        now.addAndGet(50);

        cache.put("d", new CredentialCache.Caller(4L, null));

        assertThat(cache.get("b")).map(CredentialCache.Caller::hostId).contains(2L);
        assertThat(cache.get("d")).map(CredentialCache.Caller::hostId).contains(4L);

        cache.put("e", new CredentialCache.Caller(5L, null));

        // nothing had expired and the cache was full: everything was dropped, then e remembered
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("c")).isEmpty();
        assertThat(cache.get("e")).map(CredentialCache.Caller::hostId).contains(5L);
    }
}
