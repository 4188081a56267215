package dev.sentinel.schema;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL per JVM for the tests of sentinel-schema and sentinel-schema-tools, with
 * Sentinel's roles and a template database holding Sentinel's migrations. Each test gets a clone of
 * the template, with a service's migrations applied as the owner if it names them, the way a
 * service's build applies them. (sentinel-test depends on both modules, so their tests cannot use
 * its extension.) sentinel-schema-tools gets this class through sentinel-schema's test jar, which
 * holds nothing else. Started on first use, stopped at exit; thread-safe.
 */
public class TestServer {

    /** The role names of the server. */
    public static final Roles ROLES = Roles.defaults();
    private static final String TEMPLATE = "schema_template";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static TestServer instance;

    /** A handle on the server, which is started if it is not yet running. */
    protected TestServer() {
        start();
    }

    /**
     * The server, started on first use.
     *
     * @return the server
     */
    public static synchronized TestServer get() {
        if (instance == null) {
            instance = new TestServer();
        }
        return instance;
    }

    private static synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
                }
            }));
            postgres = started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(admin, ROLES);
            DatabaseBootstrap.createDatabase(admin, TEMPLATE, ROLES);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Migrations.builder(postgres.getDatabase(ROLES.owner(), TEMPLATE)).roles(ROLES).build().migrate();
    }

    /**
     * A new database with Sentinel's schema and, if named, the migrations at a location applied as
     * the owner (as a service's migrations, schema public, their own history).
     *
     * @param location a location as {@code Migrations} takes it, or null for Sentinel's schema alone
     * @return the database's name
     */
    public String databaseWith(String location) {
        String name = "test_" + COUNTER.incrementAndGet();
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

    /**
     * Application-role connections.
     *
     * @param database the database
     * @return a data source
     */
    public DataSource app(String database) {
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

    /**
     * Drops a database.
     *
     * @param database the database
     */
    public void drop(String database) {
        admin("postgres", "drop database if exists " + database + " with (force)");
    }
}
