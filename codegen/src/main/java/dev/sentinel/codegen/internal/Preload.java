package dev.sentinel.codegen.internal;

import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * Work that a build with the embedded server needs before it can start the server and migrate,
 * done on a background thread while the build hashes Sentinel's migrations for the machine cache
 * and waits for {@code initdb} and the server (other processes; the JVM only waits for them):
 * zonky finds its extracted PostgreSQL
 * binaries by an MD5 of the whole binaries archive in its jar, read on the first start in a JVM,
 * and in a fresh Maven JVM Flyway's start-up is most of what a handful of migrations cost. Both are
 * on the build's path otherwise. Flyway only where the build will run it: on a copy of the machine
 * cache's template the migrations run without it ({@link TemplateMigrations}), and loading it there
 * would only take a core from the server's start. Best effort and without side effects of its own:
 * zonky's lookup is the one the server start makes (it keeps the result for the JVM), nothing
 * connects, and a failure is ignored.
 */
final class Preload {

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

    private Preload() {
    }

    /**
     * Starts the preload on a daemon thread.
     *
     * @param classLoader the plugin's loader
     * @param flyway whether the build will run Flyway
     * @param log where the time it took is reported (debug)
     */
    static void start(ClassLoader classLoader, boolean flyway, CodegenLog log) {
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try {
                EmbeddedTarget.binaries();
                long binaries = System.nanoTime();
                if (flyway) {
                    Flyway.configure(classLoader).load();
                    for (String name : CLASSES) {
                        Class.forName(name, true, classLoader);
                    }
                }
                log.debug("Sentinel codegen: in the background, PostgreSQL's binaries found in "
                        + (binaries - started) / 1_000_000 + " ms" + (flyway ? ", Flyway loaded in "
                        + (System.nanoTime() - binaries) / 1_000_000 + " ms" : ""));
            } catch (Exception | LinkageError e) {
                log.debug("Sentinel codegen: the preload failed (the build does it on its own path): " + e);
            }
        }, "sentinel-codegen-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(classLoader);
        thread.start();
    }
}
