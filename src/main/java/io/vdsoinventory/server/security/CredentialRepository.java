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
