package io.vdsoinventory.server.security;

import io.vdsoinventory.server.AfterCommit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    /** A person's API token as stored: its name (who acted, for audits) and role. */
    record ApiToken(String name, Role role) {
    }

    /** The name and role of an API token. */
    Optional<ApiToken> apiToken(String token) {
        return jdbc.sql("SELECT name, role FROM api_tokens WHERE token_hash = :hash")
                .param("hash", Tokens.hash(token))
                .query((rs, row) -> new ApiToken(rs.getString("name"), Role.valueOf(rs.getString("role"))))
                .optional();
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

    /**
     * Makes {@code nodeKey} the one node key of {@code hostId} (migration V8): the key it replaces stops working.
     * This instance's bearer cache forgets the old key once the replacement commits; other instances honour it until
     * their cache entry expires, as for a revoked key.
     */
    public void replaceNodeKey(long hostId, String nodeKey) {
        List<String> replaced = jdbc.sql("""
                WITH old AS (SELECT key_hash FROM node_keys WHERE host_id = :hostId)
                INSERT INTO node_keys (key_hash, host_id) VALUES (decode(:hash, 'hex'), :hostId)
                ON CONFLICT (host_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, created_at = now()
                RETURNING (SELECT encode(key_hash, 'hex') FROM old)
                """)
                .param("hash", Tokens.hash(nodeKey))
                .param("hostId", hostId)
                .query(String.class)
                .list();
        // one row, whose old hash is null for a host enrolled the first time (old reads the statement's snapshot;
        // enrolments of one host are serialised by the lock on its hosts row)
        replaced.stream().filter(Objects::nonNull).forEach(oldHash -> AfterCommit.run(() -> cache.forget(oldHash)));
    }

    /** Stores an API token unless a token with the same secret exists. */
    void addApiToken(String token, String name, Role role) {
        jdbc.sql("""
                INSERT INTO api_tokens (token_hash, name, role) VALUES (:hash, :name, :role)
                ON CONFLICT (token_hash) DO NOTHING
                """)
                .param("hash", Tokens.hash(token))
                .param("name", name)
                .param("role", role.name())
                .update();
    }
}
