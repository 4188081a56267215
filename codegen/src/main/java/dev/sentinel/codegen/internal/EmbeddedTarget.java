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

    private static final String DATABASE = "sentinel_codegen";

    private final EmbeddedPostgres postgres;
    private final Roles roles;
    private final Path ownDataDirectory;

    private EmbeddedTarget(EmbeddedPostgres postgres, Roles roles, Path ownDataDirectory) {
        this.postgres = postgres;
        this.roles = roles;
        this.ownDataDirectory = ownDataDirectory;
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
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(log.toFile());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect);
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (smallWal) {
                // zonky passes these to initdb as --key=value.
                builder.setLocaleConfig("wal-segsize", "1");
                builder.setServerConfig("min_wal_size", "2MB");
                builder.setServerConfig("wal_recycle", "off");
            }
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new GenerationException("Could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (its log: " + log + "). Where no embedded binaries run, set <database>jdbc</database>"
                    + " with the <jdbcUrl> of an existing server, or <database>testcontainers</database>"
                    + " where Docker runs.", e);
        }
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles, deleteOnClose ? dataDirectory : null);
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

    static void closeAfterFailure(TargetDatabase target, RuntimeException failure) {
        try {
            target.close();
        } catch (RuntimeException closing) {
            failure.addSuppressed(closing);
        }
    }

    @Override
    public DataSource ownerDataSource() {
        return postgres.getDatabase(roles.owner(), DATABASE);
    }

    @Override
    public DataSource adminDataSource() {
        return postgres.getDatabase("postgres", DATABASE);
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL on port " + postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new GenerationException("Could not stop the embedded PostgreSQL: " + e.getMessage(), e);
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
