package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;

/**
 * A jOOQ generation of two small tables, run on a background thread while the build waits for
 * PostgreSQL (Sentinel's migrations into the machine cache, the project's migrations, the lint),
 * so that the build's own jOOQ run finds jOOQ's classes loaded and its code warm: in a fresh
 * Maven JVM, loading and warming jOOQ is much of what its run costs.
 *
 * <p>It reads a schema of its own in the server's {@code postgres} database, never the build's
 * database, and writes into a directory of its own, both removed afterwards, so the build's output
 * is the same with or without it. It is best effort: a failure is ignored (the build's jOOQ run
 * then pays for the loading itself). {@link #close()} waits for it, so that it is done before the
 * build's jOOQ run starts and before the server stops.
 */
final class JooqWarmup implements AutoCloseable {

    /** The warm-up's schema in the {@code postgres} database. */
    static final String SCHEMA = "sentinel_codegen_warmup";

    private final Thread thread;

    private JooqWarmup(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts the warm-up.
     *
     * @param postgres superuser connections to the server's {@code postgres} database
     * @param directory a directory for the warm-up's own files (deleted before and after)
     * @param classLoader the plugin's loader, which sees jOOQ and the naming strategy
     * @param log where a failure is reported (debug)
     * @return the running warm-up
     */
    static JooqWarmup start(DataSource postgres, Path directory, ClassLoader classLoader, CodegenLog log) {
        // As for the build's run: no banner, no tips.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        Thread thread = new Thread(() -> run(postgres, directory, classLoader, log), "sentinel-codegen-jooq-warmup");
        thread.setDaemon(true);
        thread.setContextClassLoader(classLoader);
        thread.start();
        return new JooqWarmup(thread);
    }

    private static void run(DataSource postgres, Path directory, ClassLoader classLoader, CodegenLog log) {
        long started = System.nanoTime();
        try (Connection connection = postgres.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists " + SCHEMA + " cascade");
                statement.execute("create schema " + SCHEMA);
                statement.execute("create table " + SCHEMA + ".parents (id uuid primary key, tenant_id uuid not null,"
                        + " name text not null, status text not null check (status in ('open', 'closed')),"
                        + " amount numeric(12, 2), created_at timestamptz not null default now(),"
                        + " unique (tenant_id, name))");
                statement.execute("comment on table " + SCHEMA + ".parents is 'Warm-up'");
                statement.execute("create table " + SCHEMA + ".children (id bigint generated always as identity"
                        + " primary key, parent_id uuid not null references " + SCHEMA + ".parents, payload jsonb,"
                        + " tags text[], day date)");
                statement.execute("create index on " + SCHEMA + ".children (parent_id)");
            }
            OutputSync.deleteTree(directory);
            GenerationTool tool = new GenerationTool();
            tool.setClassLoader(classLoader);
            tool.setConnection(connection);
            tool.run(new Configuration()
                    .withLogging(Logging.ERROR)
                    .withGenerator(new Generator()
                            .withName("org.jooq.codegen.JavaGenerator")
                            .withStrategy(new Strategy().withName(SentinelGeneratorStrategy.class.getName()))
                            .withDatabase(new Database()
                                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withInputSchema(SCHEMA)
                                    .withIncludeRoutines(false)
                                    .withIncludeDomains(false)
                                    .withIncludeUDTs(false)
                                    .withIncludeSequences(false))
                            .withGenerate(CodeGenerator.generateSettings())
                            .withTarget(new Target()
                                    .withLocale("und")
                                    .withPackageName("warmup")
                                    .withDirectory(directory.toString())
                                    .withClean(true))));
            try (Statement statement = connection.createStatement()) {
                statement.execute("drop schema " + SCHEMA + " cascade");
            }
            log.debug("Sentinel codegen: jOOQ warmed up in the background in " + (System.nanoTime() - started) / 1_000_000
                    + " ms");
        } catch (Exception | LinkageError e) {
            log.debug("Sentinel codegen: jOOQ's warm-up failed (the build's jOOQ run loads jOOQ itself): " + e);
        } finally {
            try {
                OutputSync.deleteTree(directory);
            } catch (IOException e) {
                // The work directory is the plugin's own; the next warm-up deletes it.
            }
        }
    }

    /** Waits for the warm-up to end. */
    @Override
    public void close() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
