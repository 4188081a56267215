package dev.sentinel.codegen.internal;

import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * Loads Flyway's and PgJDBC's classes on a background thread while the embedded PostgreSQL starts
 * ({@code initdb} and the server are other processes; the JVM only waits for them), so that the
 * migrations that follow find them loaded: in a fresh Maven JVM, Flyway's start-up is most of
 * what a handful of migrations cost. Best effort and without side effects: nothing connects, a
 * failure is ignored.
 */
final class FlywayPreload {

    // What a migration loads after Flyway.load(): the JDBC driver, the PostgreSQL support, the
    // migrate, validate and history commands and the SQL parser.
    private static final List<String> CLASSES = List.of(
            "org.postgresql.Driver",
            "org.postgresql.jdbc.PgConnection",
            "org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
            "org.flywaydb.database.postgresql.PostgreSQLDatabase",
            "org.flywaydb.database.postgresql.PostgreSQLParser",
            "org.flywaydb.core.internal.command.DbMigrate",
            "org.flywaydb.core.internal.command.DbValidate",
            "org.flywaydb.core.internal.schemahistory.JdbcTableSchemaHistory",
            "org.flywaydb.core.internal.resolver.sql.SqlMigrationResolver",
            "org.flywaydb.core.internal.sqlscript.ParserSqlScript");

    private FlywayPreload() {
    }

    /**
     * Starts loading on a daemon thread.
     *
     * @param classLoader the plugin's loader
     * @param log where the time it took is reported (debug)
     */
    static void start(ClassLoader classLoader, CodegenLog log) {
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try {
                Flyway.configure(classLoader).load();
                for (String name : CLASSES) {
                    Class.forName(name, true, classLoader);
                }
                log.debug("Sentinel codegen: Flyway loaded in the background in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            } catch (Exception | LinkageError e) {
                log.debug("Sentinel codegen: Flyway's preload failed (the migrations load it themselves): " + e);
            }
        }, "sentinel-codegen-flyway-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(classLoader);
        thread.start();
    }
}
