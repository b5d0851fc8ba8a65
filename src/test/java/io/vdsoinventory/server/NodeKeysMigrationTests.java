package io.vdsoinventory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Migration V8 on node keys that V7 kept: each host keeps its newest key only, and can hold no second one. */
class NodeKeysMigrationTests {

    @Test
    void migrateWhenHostsEnrolledSeveralTimesThenNewestKeyEachAndOneKeyPerHost() throws Exception {
        MigrationTesting.migrateAcross("7", jdbc -> {
            jdbc.sql("INSERT INTO hosts (host_key, hostname) VALUES ('again', 'again'), ('once', 'once')").update();
            jdbc.sql("""
                    INSERT INTO node_keys (key_hash, host_id, created_at)
                    SELECT sha256(convert_to(k.secret, 'UTF8')), h.id, now() - make_interval(hours => k.age)
                    FROM (VALUES ('again', 'first', 3), ('again', 'newest', 1), ('again', 'second', 2),
                                 ('once', 'only', 5)) AS k (host_key, secret, age)
                    JOIN hosts h ON h.host_key = k.host_key
                    """).update();
            return null;
        }, "8", (jdbc, none) -> {
            assertThat(jdbc.sql("""
                    SELECT h.host_key || ' ' || CASE k.key_hash WHEN sha256('newest') THEN 'newest'
                                                                WHEN sha256('only') THEN 'only' ELSE 'other' END
                    FROM node_keys k JOIN hosts h ON h.id = k.host_id ORDER BY h.host_key
                    """).query(String.class).list()).containsExactly("again newest", "once only");
            assertThatThrownBy(() -> jdbc.sql("""
                    INSERT INTO node_keys (key_hash, host_id) SELECT sha256('more'), id FROM hosts WHERE host_key = 'once'
                    """).update()).hasMessageContaining("node_keys_pkey");
        });
    }
}
