package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.codegen.GenerationTool;
import org.jooq.impl.DSL;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Property;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;
import org.jooq.util.jaxb.tools.MiniJAXB;
import org.jooq.util.xml.jaxb.InformationSchema;

/**
 * jOOQ generations of two small tables, run on a background thread while the build waits for
 * PostgreSQL ({@code initdb}, Sentinel's migrations into the machine cache, the project's
 * migrations, the lint), so that the build's own jOOQ run finds jOOQ's classes loaded and its code
 * warm: in a fresh Maven JVM, loading and warming jOOQ is much of what its run costs.
 *
 * <p>Two phases. The first needs no server: jOOQ's own interpreter turns the tables' DDL into an
 * information schema, which jOOQ's {@code XMLDatabase} reads and its Java generator writes out, so
 * that most of the generator is loaded and warm before the server is up (the first build on a
 * machine starts it before {@code initdb}, when the JVM has nothing else to do). The second, once
 * {@link #useServer} has handed it a server, reads the same tables from PostgreSQL
 * ({@code PostgresDatabase}, the JDBC driver), as the build's run does. It reads a schema of its own
 * in the server's {@code postgres} database, never the build's database, and writes into a
 * directory of its own, both removed afterwards, so the build's output is the same with or without
 * it. It is best effort: a failure is ignored (the build's jOOQ run then pays for the loading
 * itself). {@link #close()} waits for it, so that it is done before the build's jOOQ run starts and
 * before the server stops.
 */
final class JooqWarmup implements AutoCloseable {

    /** The warm-up's schema in the {@code postgres} database. */
    static final String SCHEMA = "sentinel_codegen_warmup";

    // The tables, in PostgreSQL's dialect and in what jOOQ's interpreter takes.
    private static final List<String> DDL = List.of(
            "create schema " + SCHEMA,
            "create table " + SCHEMA + ".parents (id uuid primary key, tenant_id uuid not null,"
                    + " name text not null, status text not null check (status in ('open', 'closed')),"
                    + " amount numeric(12, 2), created_at timestamptz not null default now(),"
                    + " unique (tenant_id, name))",
            "comment on table " + SCHEMA + ".parents is 'Warm-up'",
            "create table " + SCHEMA + ".children (id bigint generated always as identity"
                    + " primary key, parent_id uuid not null references " + SCHEMA + ".parents, payload jsonb,"
                    + " tags text[], day date)",
            "create index children_parent_id_idx on " + SCHEMA + ".children (parent_id)");

    private final Thread thread;
    // The server's postgres database, or null when none is coming.
    private final CompletableFuture<DataSource> server = new CompletableFuture<>();

    private JooqWarmup(Path directory, ClassLoader classLoader, boolean withoutServer, CodegenLog log) {
        this.thread = new Thread(() -> run(directory, classLoader, withoutServer, log), "sentinel-codegen-jooq-warmup");
        thread.setDaemon(true);
        thread.setContextClassLoader(classLoader);
    }

    /**
     * Starts the warm-up: without a server, its first phase, and the second once {@link #useServer}
     * hands it one; with a server, the second phase alone (the first would only add to the wait).
     *
     * @param directory a directory for the warm-up's own files (deleted before and after)
     * @param classLoader the plugin's loader, which sees jOOQ and the naming strategy
     * @param postgres superuser connections to the server's {@code postgres} database, or null
     *     while there is no server yet
     * @param log where the phases' times and a failure are reported (debug)
     * @return the running warm-up
     */
    static JooqWarmup start(Path directory, ClassLoader classLoader, DataSource postgres, CodegenLog log) {
        // As for the build's run: no banner, no tips.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        JooqWarmup warmup = new JooqWarmup(directory, classLoader, postgres == null, log);
        if (postgres != null) {
            warmup.server.complete(postgres);
        }
        warmup.thread.start();
        return warmup;
    }

    /**
     * Hands the second phase a server; it starts when the first is done.
     *
     * @param postgres superuser connections to the server's {@code postgres} database
     */
    void useServer(DataSource postgres) {
        server.complete(postgres);
    }

    private void run(Path directory, ClassLoader classLoader, boolean withoutServer, CodegenLog log) {
        try {
            OutputSync.deleteTree(directory);
            long started = System.nanoTime();
            if (withoutServer) {
                try {
                    withoutServer(directory.resolve("xml"), classLoader);
                    log.debug("Sentinel codegen: jOOQ warmed up without a server in " + millisSince(started) + " ms");
                } catch (Exception | LinkageError e) {
                    log.debug("Sentinel codegen: jOOQ's warm-up without a server failed: " + e);
                }
            }
            DataSource postgres = server.join();
            if (postgres != null) {
                started = System.nanoTime();
                onServer(postgres, directory.resolve("jdbc"), classLoader);
                log.debug("Sentinel codegen: jOOQ warmed up on the server in " + millisSince(started) + " ms");
            }
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

    /** jOOQ's interpreter makes the tables' information schema, and XMLDatabase generates from it. */
    private static void withoutServer(Path directory, ClassLoader classLoader) throws Exception {
        InformationSchema tables = DSL.using(SQLDialect.POSTGRES).meta(String.join(";\n", DDL)).informationSchema();
        Files.createDirectories(directory);
        Path xml = directory.resolve("information_schema.xml");
        try (Writer writer = Files.newBufferedWriter(xml, StandardCharsets.UTF_8)) {
            MiniJAXB.marshal(tables, writer);
        }
        generate(null, new Database()
                .withName("org.jooq.meta.xml.XMLDatabase")
                .withProperties(new Property().withKey("xmlFile").withValue(xml.toString()),
                        new Property().withKey("dialect").withValue(SQLDialect.POSTGRES.name())),
                directory.resolve("java"), classLoader);
    }

    /** The build's kind of run: PostgresDatabase reads the tables from the server. */
    private static void onServer(DataSource postgres, Path directory, ClassLoader classLoader) throws Exception {
        try (Connection connection = postgres.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists " + SCHEMA + " cascade");
                for (String ddl : DDL) {
                    statement.execute(ddl);
                }
            }
            generate(connection, new Database()
                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                    .withIncludeRoutines(false)
                    .withIncludeDomains(false)
                    .withIncludeUDTs(false)
                    .withIncludeSequences(false), directory, classLoader);
            try (Statement statement = connection.createStatement()) {
                statement.execute("drop schema " + SCHEMA + " cascade");
            }
        }
    }

    private static void generate(Connection connection, Database database, Path directory, ClassLoader classLoader)
            throws Exception {
        GenerationTool tool = new GenerationTool();
        tool.setClassLoader(classLoader);
        if (connection != null) {
            tool.setConnection(connection);
        }
        tool.run(new Configuration()
                .withLogging(Logging.ERROR)
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withStrategy(new Strategy().withName(SentinelGeneratorStrategy.class.getName()))
                        .withDatabase(database.withInputSchema(SCHEMA))
                        .withGenerate(CodeGenerator.generateSettings())
                        .withTarget(new Target()
                                .withLocale("und")
                                .withPackageName("warmup")
                                .withDirectory(directory.toString())
                                .withClean(true))));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Waits for the warm-up to end; a second phase that has no server by now is not run. */
    @Override
    public void close() {
        server.complete(null);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
