package dev.sentinel.codegen.internal;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL (zonky's binaries) with Sentinel's roles and a scratch database owned by
 * the owner role. The server's own output goes to a log file, not the build log; {@link #close()}
 * stops it.
 * It starts with a fresh data directory, or on a copy of one that already holds the migrated
 * database ({@link TemplateCache}), which saves {@code initdb} and Sentinel's migrations.
 */
final class EmbeddedTarget implements TargetDatabase {

    /** The scratch database; in a cached cluster, the template each build's database is made from. */
    static final String DATABASE = "sentinel_codegen";

    /** A build's own database in a cached cluster, copied from {@link #DATABASE} and dropped after. */
    static final String BUILD_DATABASE = "sentinel_codegen_build";

    private final EmbeddedServer postgres;
    private final Roles roles;
    private final Path ownDataDirectory;
    private final String database;
    private final Runnable afterStop;
    // On a cached cluster: the roles' state when the build's database was made, and what to do
    // when the build changed it.
    private String rolesAtStart;
    private Runnable spoiled = () -> { };

    private EmbeddedTarget(EmbeddedServer postgres, Roles roles, Path ownDataDirectory, String database,
            Runnable afterStop) {
        this.postgres = postgres;
        this.roles = roles;
        this.ownDataDirectory = ownDataDirectory;
        this.database = database;
        this.afterStop = afterStop;
    }

    /**
     * Starts a server with a fresh data directory and prepares the roles and the database.
     *
     * @param log where the server writes its output (appended)
     * @param roles the role names
     * @return the running target
     * @throws GenerationException if the server does not start or refuses the bootstrap
     */
    static EmbeddedTarget start(Path log, Roles roles) {
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("sentinel-codegen-pg");
        } catch (IOException e) {
            throw new GenerationException("Could not create a data directory for the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
        return start(log, roles, dataDirectory, true, false);
    }

    /**
     * Starts a server on the given data directory: a fresh one if it holds no cluster yet, else the
     * cluster in it (no {@code initdb}); the roles and the database are created only where missing.
     *
     * @param log where the server writes its output (appended)
     * @param roles the role names
     * @param dataDirectory the data directory, or null for a fresh temporary one
     * @param deleteOnClose whether {@link #close()} deletes {@code dataDirectory} after stopping
     * @param smallWal whether a fresh cluster gets 1 MB WAL segments and keeps few of them, so that
     *     its data directory is small to copy (for the machine cache's template)
     * @return the running target
     * @throws GenerationException if the server does not start or refuses the bootstrap
     */
    static EmbeddedTarget start(Path log, Roles roles, Path dataDirectory, boolean deleteOnClose, boolean smallWal) {
        EmbeddedServer postgres = startServer(log, dataDirectory, smallWal);
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles, deleteOnClose ? dataDirectory : null, DATABASE,
                () -> { });
        try (Connection superuser = target.maintenanceDataSource().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(superuser, roles);
            boolean exists;
            try (var statement = superuser.prepareStatement("select 1 from pg_catalog.pg_database where datname = ?")) {
                statement.setString(1, DATABASE);
                try (var row = statement.executeQuery()) {
                    exists = row.next();
                }
            }
            if (!exists) {
                DatabaseBootstrap.createDatabase(superuser, DATABASE, roles);
            }
        } catch (SQLException e) {
            GenerationException failure = new GenerationException(
                    "Could not create Sentinel's roles and the scratch database: " + e.getMessage(), e);
            closeAfterFailure(target, failure);
            throw failure;
        }
        return target;
    }

    /**
     * Starts a server on a cluster of the machine cache whose {@link #DATABASE} holds Sentinel's
     * migrated schema, and creates the build's own database from it with {@code CREATE DATABASE ...
     * TEMPLATE ... STRATEGY FILE_COPY} (the server copies the files of one database, which is all a
     * build changes). {@link #close()} drops that database, stops the server and runs
     * {@code afterStop}; the cluster is left as it was found. What a build can change outside its
     * database is the owner role's own settings ({@code ALTER ROLE ... SET}) and password: when
     * those changed, {@code spoiled} runs before {@code afterStop}, so that the cluster is made again
     * before another build uses it.
     *
     * @param log where the server writes its output (appended)
     * @param roles the role names (the cluster has them already)
     * @param dataDirectory the cached cluster
     * @param spoiled run after the server stopped if the build changed the cluster's roles
     * @param afterStop run after the server stopped (releases the cluster for other builds)
     * @return the running target
     * @throws GenerationException if the server does not start or the database cannot be created
     */
    static EmbeddedTarget startOnCachedCluster(Path log, Roles roles, Path dataDirectory, Runnable spoiled,
            Runnable afterStop) {
        EmbeddedServer postgres = startServer(log, dataDirectory, false);
        return onTemplate(postgres, roles, dataDirectory, null, spoiled, afterStop);
    }

    /**
     * This server, which was just made and whose {@link #DATABASE} holds Sentinel's migrated schema,
     * as a target for a build, like {@link #startOnCachedCluster}: the build gets its own database
     * made from {@link #DATABASE}, and {@link #close()} drops it, stops the server and runs
     * {@code afterStop}, after {@code spoiled} if the build changed the cluster's roles. Saves the
     * build on the machine cache's new entry a stop, a copy of the data directory and a start. This
     * target must not be closed after the call; the returned one is.
     *
     * @param spoiled run after the server stopped if the build changed the cluster's roles
     * @param afterStop run after the server stopped (and after {@code spoiled})
     * @return the build's target on the same server
     * @throws GenerationException if the build's database cannot be created (the server is stopped)
     */
    EmbeddedTarget forBuild(Runnable spoiled, Runnable afterStop) {
        if (!database.equals(DATABASE)) {
            throw new IllegalStateException("Not a freshly made cluster: " + database);
        }
        return onTemplate(postgres, roles, null, ownDataDirectory, spoiled, afterStop);
    }

    private static EmbeddedTarget onTemplate(EmbeddedServer postgres, Roles roles, Path dataDirectory,
            Path ownDataDirectory, Runnable spoiled, Runnable afterStop) {
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles, ownDataDirectory, BUILD_DATABASE, afterStop);
        target.spoiled = spoiled;
        try (Connection superuser = target.maintenanceDataSource().getConnection();
                var statement = superuser.createStatement()) {
            // A build that was killed may have left its database behind.
            statement.execute("DROP DATABASE IF EXISTS " + BUILD_DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + BUILD_DATABASE + " TEMPLATE " + DATABASE + " OWNER " + roles.owner()
                    + " STRATEGY FILE_COPY");
            target.rolesAtStart = rolesState(statement);
        } catch (SQLException e) {
            GenerationException failure = new GenerationException(
                    "Could not create the build's database from Sentinel's migrated schema"
                            + (dataDirectory == null ? "" : " in the machine cache (" + dataDirectory + ")") + ": "
                            + e.getMessage(), e);
            closeAfterFailure(target, failure);
            throw failure;
        }
        return target;
    }

    /**
     * The part of the cluster outside any one database that the owner role can change: the roles'
     * attributes, password and settings.
     */
    private static String rolesState(java.sql.Statement superuser) throws SQLException {
        try (var row = superuser.executeQuery("""
                select coalesce((select string_agg(a::text, ';' order by a.oid) from pg_catalog.pg_authid a), '')
                    || '|' || coalesce((select string_agg(s::text, ';' order by s.setdatabase, s.setrole)
                                          from pg_catalog.pg_db_role_setting s), '')""")) {
            row.next();
            return row.getString(1);
        }
    }

    /**
     * Starts the server. A scratch server that is thrown away needs no durability: without fsync,
     * full-page writes, autovacuum and JIT it starts, migrates and stops sooner. Where zonky's
     * binaries can be found ({@link #binaries()}), the plugin runs them itself: a fresh data
     * directory is made by {@code initdb --no-sync} ({@link #initdb}) and the server is its own child
     * process ({@link Postmaster}); else zonky does both, its {@code initdb} flushing every file of
     * the new cluster to disk.
     */
    private static EmbeddedServer startServer(Path log, Path dataDirectory, boolean smallWal) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(log.toFile());
            java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
            // zonky's defaults, which the plugin's server keeps whoever starts it.
            settings.put("timezone", "UTC");
            settings.put("synchronous_commit", "off");
            settings.put("max_connections", "300");
            settings.put("fsync", "off");
            settings.put("full_page_writes", "off");
            settings.put("autovacuum", "off");
            settings.put("jit", "off");
            if (smallWal) {
                settings.put("min_wal_size", "2MB");
                settings.put("wal_recycle", "off");
            }
            Path binaries = binaries();
            if (binaries != null) {
                Files.createDirectories(dataDirectory);
                if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
                    initdb(binaries, dataDirectory, smallWal, redirect);
                }
                return Postmaster.start(binaries, dataDirectory, settings, redirect);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            settings.forEach(builder::setServerConfig);
            if (smallWal) {
                // zonky passes these to its initdb as --key=value.
                builder.setLocaleConfig("wal-segsize", "1");
            }
            return EmbeddedServer.zonky(builder.start());
        } catch (IOException | RuntimeException e) {
            throw new GenerationException("Could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (its log: " + log + "). Where no embedded binaries run, set <database>jdbc</database>"
                    + " with the <jdbcUrl> of an existing server, or <database>testcontainers</database>"
                    + " where Docker runs.", e);
        }
    }

    /**
     * Makes a cluster in {@code dataDirectory} as zonky would ({@code initdb -A trust -U postgres -E
     * UTF-8}), but with {@code --no-sync}: initdb's flush of every file to disk is most of its time,
     * and the server runs with {@code fsync=off} afterwards anyway.
     */
    private static void initdb(Path binaries, Path dataDirectory, boolean smallWal, ProcessBuilder.Redirect redirect)
            throws IOException {
        java.util.List<String> command = asZonkyRunsIt(binaries.resolve("bin/initdb"));
        command.addAll(java.util.List.of("-A", "trust", "-U", "postgres",
                "-D", dataDirectory.toString(), "-E", "UTF-8", "--no-sync"));
        if (smallWal) {
            command.add("--wal-segsize=1");
        }
        Process initdb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(redirect).start();
        try {
            if (initdb.waitFor() != 0) {
                throw new IOException("initdb exited with " + initdb.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            initdb.destroy();
            throw new IOException("interrupted while initdb ran", e);
        }
    }

    /**
     * The start of a command line that runs one of zonky's binaries as zonky runs it: where
     * {@code unshare} works, in a user namespace, where root is not root (initdb and postgres refuse
     * root). unshare executes the program in its own process, so the child is the program itself.
     *
     * @param program the binary
     * @return a mutable command line, for the program's arguments to follow
     */
    static java.util.List<String> asZonkyRunsIt(Path program) {
        java.util.List<String> command = new java.util.ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            command.addAll(java.util.List.of("unshare", "-U"));
        }
        command.add(program.toString());
        return command;
    }

    /**
     * The directory of the PostgreSQL binaries that zonky extracts (once per machine and binaries'
     * version, into its own cache) before it starts a server: zonky does not expose it, so this asks
     * its private {@code prepareBinaries} (as {@code EmbeddedPostgres.start} would). Null when that
     * fails, such as with another zonky version: then zonky makes and runs the cluster itself.
     */
    static Path binaries() {
        try {
            java.lang.reflect.Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries",
                    io.zonky.test.db.postgres.embedded.PgBinaryResolver.class, java.io.File.class);
            prepare.setAccessible(true);
            java.io.File directory = (java.io.File) prepare.invoke(null,
                    io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver.INSTANCE, null);
            return directory != null && Files.isRegularFile(directory.toPath().resolve("bin/initdb"))
                    && Files.isRegularFile(directory.toPath().resolve("bin/postgres")) ? directory.toPath() : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    static void closeAfterFailure(TargetDatabase target, RuntimeException failure) {
        try {
            target.close();
        } catch (RuntimeException closing) {
            failure.addSuppressed(closing);
        }
    }

    @Override
    public DataSource ownerDataSource() {
        return postgres.database(roles.owner(), database);
    }

    @Override
    public DataSource adminDataSource() {
        return postgres.database("postgres", database);
    }

    /**
     * Superuser connections to the server's {@code postgres} database, which no build reads (for
     * {@link JooqWarmup}).
     *
     * @return a data source
     */
    DataSource maintenanceDataSource() {
        return postgres.database("postgres", "postgres");
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL on port " + postgres.port();
    }

    @Override
    public void close() {
        boolean spoil = false;
        try {
            if (!database.equals(DATABASE)) {
                try (Connection superuser = maintenanceDataSource().getConnection();
                        var statement = superuser.createStatement()) {
                    spoil = rolesAtStart == null || !rolesAtStart.equals(rolesState(statement));
                    statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (SQLException e) {
                    spoil = true;
                }
            }
            postgres.close();
        } catch (IOException e) {
            spoil = !database.equals(DATABASE);
            throw new GenerationException("Could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        } finally {
            try {
                if (spoil) {
                    spoiled.run();
                }
            } finally {
                afterStop.run();
            }
        }
        if (ownDataDirectory != null) {
            try {
                OutputSync.deleteTree(ownDataDirectory);
            } catch (IOException e) {
                throw new GenerationException("Could not delete the embedded PostgreSQL's data directory "
                        + ownDataDirectory + ": " + e.getMessage(), e);
            }
        }
    }
}
