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
 * An embedded PostgreSQL (zonky) with Sentinel's roles and a scratch database owned by the owner
 * role. The server's own output goes to a log file, not the build log; {@link #close()} stops it.
 * It starts with a fresh data directory, or on a copy of one that already holds the migrated
 * database ({@link TemplateCache}), which saves {@code initdb} and Sentinel's migrations.
 */
final class EmbeddedTarget implements TargetDatabase {

    /** The scratch database; in a cached cluster, the template each build's database is made from. */
    static final String DATABASE = "sentinel_codegen";

    /** A build's own database in a cached cluster, copied from {@link #DATABASE} and dropped after. */
    static final String BUILD_DATABASE = "sentinel_codegen_build";

    private final EmbeddedPostgres postgres;
    private final Roles roles;
    private final Path ownDataDirectory;
    private final String database;
    private final Runnable afterStop;
    // On a cached cluster: the roles' state when the build's database was made, and what to do
    // when the build changed it.
    private String rolesAtStart;
    private Runnable spoiled = () -> { };

    private EmbeddedTarget(EmbeddedPostgres postgres, Roles roles, Path ownDataDirectory, String database,
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
        return start(log, roles, null, false, false);
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
        EmbeddedPostgres postgres = startServer(log, dataDirectory, smallWal);
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles, deleteOnClose ? dataDirectory : null, DATABASE,
                () -> { });
        try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
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
        EmbeddedPostgres postgres = startServer(log, dataDirectory, false);
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles, null, BUILD_DATABASE, afterStop);
        target.spoiled = spoiled;
        try (Connection superuser = postgres.getPostgresDatabase().getConnection();
                var statement = superuser.createStatement()) {
            // A build that was killed may have left its database behind.
            statement.execute("DROP DATABASE IF EXISTS " + BUILD_DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + BUILD_DATABASE + " TEMPLATE " + DATABASE + " OWNER " + roles.owner()
                    + " STRATEGY FILE_COPY");
            target.rolesAtStart = rolesState(statement);
        } catch (SQLException e) {
            GenerationException failure = new GenerationException(
                    "Could not create the build's database from Sentinel's migrated schema in the machine cache ("
                            + dataDirectory + "): " + e.getMessage(), e);
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
     * full-page writes, autovacuum and JIT it starts, migrates and stops sooner.
     */
    private static EmbeddedPostgres startServer(Path log, Path dataDirectory, boolean smallWal) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(log.toFile());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("autovacuum", "off")
                    .setServerConfig("jit", "off");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (smallWal) {
                // zonky passes these to initdb as --key=value.
                builder.setLocaleConfig("wal-segsize", "1");
                builder.setServerConfig("min_wal_size", "2MB");
                builder.setServerConfig("wal_recycle", "off");
            }
            return builder.start();
        } catch (IOException | RuntimeException e) {
            throw new GenerationException("Could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (its log: " + log + "). Where no embedded binaries run, set <database>jdbc</database>"
                    + " with the <jdbcUrl> of an existing server, or <database>testcontainers</database>"
                    + " where Docker runs.", e);
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
        return postgres.getDatabase(roles.owner(), database);
    }

    @Override
    public DataSource adminDataSource() {
        return postgres.getDatabase("postgres", database);
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL on port " + postgres.getPort();
    }

    @Override
    public void close() {
        boolean spoil = false;
        try {
            if (!database.equals(DATABASE)) {
                try (Connection superuser = postgres.getPostgresDatabase().getConnection();
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
