package dev.sentinel.testing.internal;

import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A server that already runs, named by the JDBC URL of an administrative account (a superuser, or
 * a role with CREATEROLE and CREATEDB). This run creates roles and databases on it and drops the
 * databases when it ends; it never stops the server.
 */
public final class ExternalServer implements PostgresServer {

    private final String url;

    /**
     * Checks the URL and remembers it.
     *
     * @param url a URL such as {@code jdbc:postgresql://localhost:5432/postgres?user=postgres&password=...}
     * @throws IllegalArgumentException if it is not a PostgreSQL JDBC URL
     */
    public ExternalServer(String url) {
        this.url = Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("SENTINEL_TEST_SERVER: '" + redact(url) + "' is neither 'embedded'"
                    + " nor a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database?user=...&password=...)");
        }
        // Fail on a malformed URL now, with the URL (minus secrets) in the message.
        adminDataSource();
    }

    @Override
    public DataSource adminDataSource() {
        return dataSource(null, null, null);
    }

    @Override
    public DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SENTINEL_TEST_SERVER: cannot parse '" + redact(url) + "'", e);
        }
        if (database != null) {
            dataSource.setDatabaseName(database);
        }
        if (user != null) {
            dataSource.setUser(user);
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    @Override
    public String jdbcUrl(String database) {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) dataSource(database, null, null);
        StringBuilder result = new StringBuilder("jdbc:postgresql://");
        String[] hosts = dataSource.getServerNames();
        int[] ports = dataSource.getPortNumbers();
        for (int i = 0; i < hosts.length; i++) {
            if (i > 0) {
                result.append(',');
            }
            result.append(hosts[i]);
            if (ports != null && i < ports.length && ports[i] > 0) {
                result.append(':').append(ports[i]);
            }
        }
        return result.append('/').append(database).toString();
    }

    @Override
    public String describe() {
        return "external PostgreSQL at " + redact(url);
    }

    @Override
    public void close() {
        // Not ours to stop.
    }

    /**
     * Checks that the server answers, so that a wrong URL fails at the first test with its cause.
     *
     * @throws IllegalStateException if no connection can be made
     */
    public void ping() {
        try (var connection = adminDataSource().getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** The URL with any password parameter blanked: secrets are never logged. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
