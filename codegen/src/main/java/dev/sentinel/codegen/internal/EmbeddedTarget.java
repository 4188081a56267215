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
 */
final class EmbeddedTarget implements TargetDatabase {

    private static final String DATABASE = "sentinel_codegen";

    private final EmbeddedPostgres postgres;
    private final Roles roles;

    private EmbeddedTarget(EmbeddedPostgres postgres, Roles roles) {
        this.postgres = postgres;
        this.roles = roles;
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
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(log.toFile());
            postgres = EmbeddedPostgres.builder()
                    .setOutputRedirector(redirect)
                    .setErrorRedirector(redirect)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new GenerationException("Could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (its log: " + log + "). Where no embedded binaries run, set <database>jdbc</database>"
                    + " with the <jdbcUrl> of an existing server, or <database>testcontainers</database>"
                    + " where Docker runs.", e);
        }
        EmbeddedTarget target = new EmbeddedTarget(postgres, roles);
        try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(superuser, roles);
            DatabaseBootstrap.createDatabase(superuser, DATABASE, roles);
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
    }
}
