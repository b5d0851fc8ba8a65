package io.vdsoinventory.server.ingest;

import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.api.ApiException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Back-pressure for the agent protocol: at most {@code vdso.ingest.max-concurrent} reports and uploads run at
 * once; a request that finds no slot within {@code queue-wait} is answered 429 with Retry-After, before it writes
 * anything. Per replica by design: each replica protects its own connection pool.
 */
@Component
class IngestLimiter {

    private final Semaphore slots;
    private final VdsoProperties.Ingest settings;

    IngestLimiter(VdsoProperties properties) {
        this.settings = properties.ingest();
        this.slots = new Semaphore(settings.maxConcurrent());
    }

    /** Takes a slot, to be released by closing the returned permit. */
    Permit acquire() {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(settings.queueWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ApiException.saturated(settings.retryAfter());
        }
        return slots::release;
    }

    /** A held ingest slot. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
