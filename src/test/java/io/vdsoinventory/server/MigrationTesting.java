package io.vdsoinventory.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A migration tried on data an older schema holds, in a database of its own. */
final class MigrationTesting {

    private MigrationTesting() {
    }

    /**
     * Migrates a fresh embedded PostgreSQL to version {@code from}, lets {@code before} write what the service of
     * that version would (and return what it needs to compare), migrates to {@code to}, and hands both to
     * {@code after}.
     */
    static <T> void migrateAcross(String from, Function<JdbcClient, T> before, String to,
            BiConsumer<JdbcClient, T> after) throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource database = postgres.getPostgresDatabase();
            JdbcClient jdbc = JdbcClient.create(database);
            migrate(database, from);
            T written = before.apply(jdbc);
            migrate(database, to);
            after.accept(jdbc, written);
        }
    }

    private static void migrate(DataSource database, String target) {
        Flyway.configure().dataSource(database).locations("classpath:db/migration").target(target).load().migrate();
    }
}
