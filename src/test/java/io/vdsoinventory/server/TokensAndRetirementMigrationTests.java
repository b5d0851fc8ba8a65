package io.vdsoinventory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Migration V9 on tokens and findings that V8 kept: names made unique, oldest first; severities ranked. */
class TokensAndRetirementMigrationTests {

    @Test
    void migrateWhenTokenNamesRepeatThenOldestKeepsTheNameAndNamesStayUnique() throws Exception {
        MigrationTesting.migrateAcross("8", jdbc -> {
            jdbc.sql("""
                    INSERT INTO api_tokens (token_hash, name, role, created_at)
                    VALUES ('h-new', 'ci', 'VIEWER', now()), ('h-old', 'ci', 'ADMIN', now() - interval '2 days'),
                           ('h-mid', 'ci', 'VIEWER', now() - interval '1 day'), ('h-one', 'alice', 'VIEWER', now())
                    """).update();
            jdbc.sql("INSERT INTO hosts (host_key, hostname) VALUES ('k', 'h')").update();
            jdbc.sql("""
                    INSERT INTO findings (host_id, kind, severity, status, subject)
                    SELECT id, 'HOST_SILENT', s, 'OPEN', s FROM hosts, unnest(ARRAY['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']) s
                    """).update();
            return null;
        }, "9", (jdbc, none) -> {
            assertThat(jdbc.sql("SELECT token_hash || ' ' || name FROM api_tokens ORDER BY token_hash")
                    .query(String.class).list())
                    .containsExactly("h-mid ci #2", "h-new ci #3", "h-old ci", "h-one alice");
            assertThatThrownBy(() -> jdbc.sql("""
                    INSERT INTO api_tokens (token_hash, name, role) VALUES ('h-other', 'alice', 'VIEWER')
                    """).update()).hasMessageContaining("api_tokens_name_key");
            assertThat(jdbc.sql("SELECT severity || ' ' || severity_rank FROM findings ORDER BY severity_rank")
                    .query(String.class).list())
                    .containsExactly("INFO 0", "LOW 1", "MEDIUM 2", "HIGH 3", "CRITICAL 4");
        });
    }
}
