package dev.sentinel.schema.lint;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL for the linter's tests, with Sentinel's roles and a template database
 * holding Sentinel's migrations. Each fixture gets a clone of the template with its own migration
 * applied as the owner, the way a service's build applies it. (sentinel-test depends on this
 * module, so these tests cannot use its extension.) Started once per JVM, stopped at exit. Public
 * so that sentinel-schema's other tests (the schema reference, Prisma histories) share the server.
 */
public final class LintServer {

    /** The role names of the server. */
    public static final Roles ROLES = Roles.defaults();
    private static final String TEMPLATE = "lint_template";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static LintServer instance;

    private final EmbeddedPostgres postgres;

    private LintServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * The server, started on first use.
     *
     * @return the server
     */
    public static synchronized LintServer get() {
        if (instance == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
                    }
                }));
                instance = new LintServer(postgres);
                instance.prepareTemplate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void prepareTemplate() {
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(admin, ROLES);
            DatabaseBootstrap.createDatabase(admin, TEMPLATE, ROLES);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Migrations.builder(postgres.getDatabase(ROLES.owner(), TEMPLATE)).roles(ROLES).build().migrate();
    }

    /**
     * A new database with Sentinel's schema and, if named, a fixture's migrations applied as the
     * owner (as a service's migrations, schema public, their own history).
     *
     * @param fixture a folder under {@code lint-fixtures/}, or null for Sentinel's schema alone
     * @return the database's name
     */
    String database(String fixture) {
        return databaseWith(fixture == null ? null : "classpath:lint-fixtures/" + fixture);
    }

    /**
     * A new database with Sentinel's schema and, if named, the migrations at a location applied as
     * the owner (as a service's migrations, schema public, their own history).
     *
     * @param location a location as {@code Migrations} takes it, or null for Sentinel's schema alone
     * @return the database's name
     */
    public String databaseWith(String location) {
        String name = "lint_" + COUNTER.incrementAndGet();
        admin("postgres", "create database " + name + " template " + TEMPLATE + " owner " + ROLES.owner());
        if (location != null) {
            Migrations.builder(owner(name)).roles(ROLES)
                    .serviceLocations(location)
                    .build().migrate();
        }
        return name;
    }

    /**
     * Superuser connections.
     *
     * @param database the database
     * @return a data source
     */
    public DataSource admin(String database) {
        return postgres.getDatabase("postgres", database);
    }

    /**
     * Owner-role connections.
     *
     * @param database the database
     * @return a data source
     */
    public DataSource owner(String database) {
        return postgres.getDatabase(ROLES.owner(), database);
    }

    DataSource app(String database) {
        return postgres.getDatabase(ROLES.app(), database);
    }

    /**
     * Runs SQL as the superuser, in auto-commit mode.
     *
     * @param database the database
     * @param sql the statements
     */
    public void admin(String database, String sql) {
        try (Connection connection = admin(database).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a script from the test class path as the superuser. */
    void adminScript(String database, String resource) {
        try (InputStream in = LintServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + resource);
            }
            admin(database, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lints a database as the superuser, with the default options. */
    public List<Finding> lint(String database) {
        try (Connection connection = admin(database).getConnection()) {
            return SchemaLinter.lint(connection, LintOptions.defaults());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops a database.
     *
     * @param database the database
     */
    public void drop(String database) {
        admin("postgres", "drop database if exists " + database + " with (force)");
    }
}
