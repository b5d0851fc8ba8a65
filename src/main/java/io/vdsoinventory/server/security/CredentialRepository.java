package io.vdsoinventory.server.security;

import io.vdsoinventory.server.AfterCommit;
import io.vdsoinventory.server.fleet.HostEnrolled;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Node keys and API tokens, looked up and stored by hash only. */
@Repository
public class CredentialRepository {

    private final JdbcClient jdbc;
    private final CredentialCache cache;

    CredentialRepository(JdbcClient jdbc, CredentialCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** The host a node key belongs to. */
    Optional<Long> hostOfNodeKey(String nodeKey) {
        return jdbc.sql("SELECT host_id FROM node_keys WHERE key_hash = decode(:hash, 'hex')")
                .param("hash", Tokens.hash(nodeKey))
                .query(Long.class)
                .optional();
    }

    /** A person's API token as stored: its name (who acted, for audits), role and expiry (null: never). */
    record ApiToken(String name, Role role, @Nullable Instant expiresAt) {

        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /**
     * The name, role and expiry of an API token, noting its use (an expired token's attempt is no use): a lookup
     * happens once per bearer-cache lifetime, so {@code last_used_at} is exact to within that.
     */
    Optional<ApiToken> apiToken(String token) {
        return jdbc.sql("""
                UPDATE api_tokens
                SET last_used_at = CASE WHEN expires_at IS NULL OR expires_at > now() THEN now() ELSE last_used_at END
                WHERE token_hash = :hash
                RETURNING name, role, expires_at
                """)
                .param("hash", Tokens.hash(token))
                .query((rs, row) -> new ApiToken(rs.getString("name"), Role.valueOf(rs.getString("role")),
                        instant(rs, "expires_at")))
                .optional();
    }

    /** An API token as {@code GET /tokens} lists it: never its secret. */
    record TokenInfo(String name, Role role, Instant createdAt, @Nullable Instant lastUsedAt,
            @Nullable Instant expiresAt) {
    }

    /**
     * Up to {@code limit} API tokens named after {@code afterName}, in the byte order of their names (the same on
     * every database, whatever its collation; a few rows, so no index is needed for it).
     */
    List<TokenInfo> tokens(String afterName, int limit) {
        return jdbc.sql("""
                SELECT name, role, created_at, last_used_at, expires_at FROM api_tokens
                WHERE name COLLATE "C" > :after ORDER BY name COLLATE "C" LIMIT :limit
                """)
                .param("after", afterName)
                .param("limit", limit)
                .query((rs, row) -> new TokenInfo(rs.getString("name"), Role.valueOf(rs.getString("role")),
                        rs.getTimestamp("created_at").toInstant(), instant(rs, "last_used_at"),
                        instant(rs, "expires_at")))
                .list();
    }

    /** What a revoked secret was: an API token (named) or a host's node key. */
    record Revoked(String what) {
    }

    /**
     * Deletes the API token or node key whose secret is {@code secret}; empty when neither is known. It stops working
     * on this instance at once (the bearer cache forgets it) and on other instances within the cache's time to live.
     */
    Optional<Revoked> revoke(String secret) {
        String hash = Tokens.hash(secret);
        Optional<Revoked> revoked = jdbc.sql("DELETE FROM api_tokens WHERE token_hash = :hash RETURNING name, role")
                .param("hash", hash)
                .query((rs, row) -> new Revoked(rs.getString("role") + " API token '" + rs.getString("name") + "'"))
                .optional()
                .or(() -> jdbc.sql("DELETE FROM node_keys WHERE key_hash = decode(:hash, 'hex') RETURNING host_id")
                        .param("hash", hash)
                        .query((rs, row) -> new Revoked("node key of host " + rs.getLong("host_id")))
                        .optional());
        revoked.ifPresent(found -> AfterCommit.run(() -> cache.forget(hash)));
        return revoked;
    }

    /** Deletes the API token named {@code name}; false when there is none. Forgotten as {@link #revoke} does. */
    boolean revokeApiToken(String name) {
        return forgetDeleted(jdbc.sql("DELETE FROM api_tokens WHERE name = :name RETURNING token_hash")
                .param("name", name)
                .query(String.class)
                .list());
    }

    /**
     * Deletes the node key of {@code hostId}, whose agent is answered 401 from then on (on other instances within
     * the bearer cache's time to live); false when the host has none.
     */
    public boolean revokeNodeKeyOf(long hostId) {
        return forgetDeleted(jdbc.sql("DELETE FROM node_keys WHERE host_id = :hostId RETURNING encode(key_hash, 'hex')")
                .param("hostId", hostId)
                .query(String.class)
                .list());
    }

    private boolean forgetDeleted(List<String> hashes) {
        hashes.forEach(hash -> AfterCommit.run(() -> cache.forget(hash)));
        return !hashes.isEmpty();
    }

    /**
     * Makes {@code nodeKey} the one node key of {@code hostId} (migration V8), enrolled from {@code address}: the key
     * it replaces stops working, and is returned. This instance's bearer cache forgets the old key once the
     * replacement commits; other instances honour it until their cache entry expires, as for a revoked key.
     */
    Optional<HostEnrolled.ReplacedKey> replaceNodeKey(long hostId, String nodeKey, @Nullable String address) {
        record Old(@Nullable String hash, HostEnrolled.@Nullable ReplacedKey key) {
        }
        // one row, whose old values are null for a host enrolled the first time (old reads the statement's snapshot;
        // enrolments of one host are serialised by the lock on its hosts row)
        Old old = jdbc.sql("""
                WITH old AS (SELECT key_hash, created_at, enrolled_from FROM node_keys WHERE host_id = :hostId)
                INSERT INTO node_keys (key_hash, host_id, enrolled_from) VALUES (decode(:hash, 'hex'), :hostId, :address)
                ON CONFLICT (host_id) DO UPDATE
                    SET key_hash = EXCLUDED.key_hash, created_at = now(), enrolled_from = EXCLUDED.enrolled_from
                RETURNING (SELECT encode(key_hash, 'hex') FROM old) AS old_hash, (SELECT created_at FROM old) AS old_at,
                          (SELECT enrolled_from FROM old) AS old_from
                """)
                .param("hash", Tokens.hash(nodeKey))
                .param("hostId", hostId)
                .param("address", address)
                .query((rs, row) -> {
                    Instant at = instant(rs, "old_at");
                    return new Old(rs.getString("old_hash"), at == null ? null : new HostEnrolled.ReplacedKey(at, rs.getString("old_from")));
                })
                .single();
        String oldHash = old.hash();
        if (oldHash != null) {
            AfterCommit.run(() -> cache.forget(oldHash));
        }
        return Optional.ofNullable(old.key());
    }

    /** Stores a new API token; false (nothing stored) when a token of that name exists. */
    boolean addApiToken(String token, String name, Role role, @Nullable Instant expiresAt) {
        return jdbc.sql("""
                INSERT INTO api_tokens (token_hash, name, role, expires_at) VALUES (:hash, :name, :role, :expiresAt)
                ON CONFLICT (name) DO NOTHING
                """)
                .param("hash", Tokens.hash(token))
                .param("name", name)
                .param("role", role.name())
                .param("expiresAt", expiresAt == null ? null : Timestamp.from(expiresAt))
                .update() == 1;
    }

    /**
     * Makes {@code token} the admin token named {@code name}, replacing the secret stored under that name before,
     * and deletes the token named {@code otherName}: a rotated bootstrap token ({@code VDSO_ADMIN_TOKEN}, or the
     * admin-token file) retires its predecessor, whichever of the two it came from.
     */
    void storeBootstrapToken(String token, String name, String otherName) {
        String hash = Tokens.hash(token);
        forgetDeleted(jdbc.sql("""
                DELETE FROM api_tokens WHERE (token_hash = :hash OR name = :otherName) AND name <> :name
                RETURNING token_hash
                """)
                .param("hash", hash)
                .param("name", name)
                .param("otherName", otherName)
                .query(String.class)
                .list());
        List<String> replaced = jdbc.sql("""
                WITH old AS (SELECT token_hash FROM api_tokens WHERE name = :name)
                INSERT INTO api_tokens (token_hash, name, role) VALUES (:hash, :name, 'ADMIN')
                ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash, role = 'ADMIN', created_at = now(),
                                                 expires_at = NULL, last_used_at = NULL
                    WHERE api_tokens.token_hash <> EXCLUDED.token_hash
                RETURNING (SELECT token_hash FROM old)
                """)
                .param("hash", hash)
                .param("name", name)
                .query(String.class)
                .list();
        forgetDeleted(replaced.stream().filter(Objects::nonNull).toList());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
