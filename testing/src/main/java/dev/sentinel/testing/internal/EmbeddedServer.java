package dev.sentinel.testing.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An embedded PostgreSQL (zonky) started for this test run, in a non-UTC time zone so that code
 * which silently assumes UTC fails here rather than in production.
 */
public final class EmbeddedServer implements PostgresServer {

    /** The server's time zone: an offset with half hours and daylight saving time. */
    public static final String SERVER_TIME_ZONE = "America/St_Johns";

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server with a fresh data directory.
     *
     * @return the running server
     * @throws UncheckedIOException if PostgreSQL does not start
     */
    public static EmbeddedServer start() {
        try {
            return new EmbeddedServer(EmbeddedPostgres.builder()
                    .setServerConfig("timezone", SERVER_TIME_ZONE)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + e.getMessage()
                    + ". To use an existing server instead, set SENTINEL_TEST_SERVER to its JDBC URL.", e);
        }
    }

    /**
     * The port the server listens on, on loopback.
     *
     * @return the port
     */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public DataSource adminDataSource() {
        return dataSource("postgres", null, null);
    }

    @Override
    public DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {postgres.getPort()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user == null ? "postgres" : user);
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
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
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
        }
    }
}
