package io.vdsoinventory.server.security;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Node keys and API tokens, looked up and stored by hash only. */
@Repository
public class CredentialRepository {

    private final JdbcClient jdbc;

    CredentialRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /** Deletes the API token or node key whose secret is {@code secret}; empty when neither is known. */
    Optional<Revoked> revoke(String secret) {
        String hash = Tokens.hash(secret);
        Optional<Revoked> token = jdbc.sql("DELETE FROM api_tokens WHERE token_hash = :hash RETURNING name, role")
                .param("hash", hash)
                .query((rs, row) -> new Revoked(rs.getString("role") + " API token '" + rs.getString("name") + "'"))
                .optional();
        if (token.isPresent()) {
            return token;
        }
        return jdbc.sql("DELETE FROM node_keys WHERE key_hash = decode(:hash, 'hex') RETURNING host_id")
                .param("hash", hash)
                .query((rs, row) -> new Revoked("node key of host " + rs.getLong("host_id")))
                .optional();
    }

    /** Stores a new node key for {@code hostId}. */
    public void addNodeKey(long hostId, String nodeKey) {
        jdbc.sql("INSERT INTO node_keys (key_hash, host_id) VALUES (decode(:hash, 'hex'), :hostId)")
                .param("hash", Tokens.hash(nodeKey))
                .param("hostId", hostId)
                .update();
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
