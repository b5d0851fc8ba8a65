package io.vdsoinventory.server;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the service ({@code vdso.*}).
 *
 * @param dataDir where the embedded PostgreSQL keeps its data and where generated secrets are written
 *        ({@code VDSO_DATA_DIR})
 * @param enrollSecret the secret agents exchange for a node key ({@code VDSO_ENROLL_SECRET}); generated at first
 *        start when empty
 * @param adminToken an admin API token ({@code VDSO_ADMIN_TOKEN}); generated at first start when empty
 * @param embeddedDb the embedded PostgreSQL used when no {@code spring.datasource.url} is set
 * @param ingest limits of the agent protocol
 * @param selfReport the in-process agent that reports the server's own host
 */
@ConfigurationProperties("vdso")
public record VdsoProperties(
        @DefaultValue("./vdso-data") Path dataDir,
        @Nullable String enrollSecret,
        @Nullable String adminToken,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Ingest ingest,
        @DefaultValue SelfReport selfReport) {

    /**
     * The embedded PostgreSQL.
     *
     * @param port the port it listens on (127.0.0.1); 0 picks a free one at each start
     * @param poolSize the most connections the service opens to it
     * @param connectionTimeout how long a request waits for a connection before it is answered 503
     */
    public record EmbeddedDb(@DefaultValue("0") int port, @DefaultValue("10") int poolSize,
            @DefaultValue("5s") Duration connectionTimeout) {
        public EmbeddedDb {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("vdso.embedded-db.port must be 0..65535, got " + port);
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("vdso.embedded-db.pool-size must be positive, got " + poolSize);
            }
        }
    }

    /**
     * The agent protocol.
     *
     * @param reportInterval how often agents are told to report
     * @param maxImageSize the largest image upload accepted (a vDSO is a few pages)
     * @param maxConcurrent reports and uploads processed at once; more are answered 429
     * @param queueWait how long a request waits for a free ingest slot before it is answered 429
     * @param retryAfter the Retry-After a saturated ingest answers with
     */
    public record Ingest(
            @DefaultValue("60s") Duration reportInterval,
            @DefaultValue("64KB") DataSize maxImageSize,
            @DefaultValue("32") int maxConcurrent,
            @DefaultValue("200ms") Duration queueWait,
            @DefaultValue("1s") Duration retryAfter) {
        public Ingest {
            if (reportInterval.isNegative() || reportInterval.isZero()) {
                throw new IllegalArgumentException("vdso.ingest.report-interval must be positive");
            }
            if (maxImageSize.toBytes() < 1 || maxImageSize.toBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("vdso.ingest.max-image-size must be 1 byte..2 GiB");
            }
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("vdso.ingest.max-concurrent must be positive");
            }
        }
    }

    /**
     * The in-process agent reporting the server's own host (on by default with the embedded database).
     *
     * @param enabled whether it runs; when unset it runs exactly when the database is the embedded one
     * @param hostKey the host key it enrolls with; when unset, the host's machine-id
     */
    public record SelfReport(@Nullable Boolean enabled, @Nullable String hostKey) {
    }

    /** The enroll secret, when one was configured. */
    public @Nullable String configuredEnrollSecret() {
        return blankToNull(enrollSecret);
    }

    /** The admin token, when one was configured. */
    public @Nullable String configuredAdminToken() {
        return blankToNull(adminToken);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
