package dev.sentinel.codegen.internal;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Roles;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A scratch database on an existing server, reached through the JDBC URL of a superuser.
 *
 * <p>Opening bootstraps Sentinel's roles (idempotent) and creates a database with a random name,
 * owned by the owner role. The owner's connections are the admin's connections followed by
 * {@code SET ROLE owner}: that needs no password for the owner role and changes none, so the
 * plugin never touches the credentials of a server that others may use. {@link #close()} drops
 * the database {@code WITH (FORCE)}; the roles stay, as they are cluster-wide and shared.
 */
final class JdbcTarget implements TargetDatabase {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url;
    private final String user;
    private final String password;
    private final String database;
    private final Roles roles;
    private final String description;

    private JdbcTarget(String url, String user, String password, String database, Roles roles, String description) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.database = database;
        this.roles = roles;
        this.description = description;
    }

    /**
     * Connects, bootstraps the roles and creates the scratch database.
     *
     * @param url the JDBC URL of a maintenance database on the server, such as
     *     {@code jdbc:postgresql://localhost:5432/postgres}
     * @param user a superuser, or null to take the user from the URL
     * @param password its password, or null
     * @param roles the role names
     * @return the open target
     * @throws GenerationException if the URL is malformed or the server refuses
     */
    static JdbcTarget open(String url, String user, String password, Roles roles) {
        PGSimpleDataSource admin = dataSource(url, user, password, null);
        String name = "sentinel_codegen_" + HexFormat.of().formatHex(randomBytes());
        String description = "PostgreSQL at " + redact(url) + " (scratch database " + name + ")";
        try (Connection connection = admin.getConnection()) {
            DatabaseBootstrap.bootstrapRoles(connection, roles);
            DatabaseBootstrap.createDatabase(connection, name, roles);
        } catch (SQLException e) {
            throw new GenerationException("Could not prepare the server at " + redact(url) + " as "
                    + (admin.getUser() == null ? "the URL's user" : admin.getUser()) + ": " + e.getMessage()
                    + ". <jdbcUser> must be a superuser (it creates Sentinel's roles and a scratch database);"
                    + " check <jdbcUrl>, <jdbcUser> and <jdbcPassword>.", e);
        }
        return new JdbcTarget(url, user, password, name, roles, description);
    }

    private static PGSimpleDataSource dataSource(String url, String user, String password, String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new GenerationException("<jdbcUrl> '" + redact(url) + "' is not a PostgreSQL JDBC URL: use"
                    + " jdbc:postgresql://host:port/postgres (a database that exists; the plugin creates its own"
                    + " scratch database next to it)", e);
        }
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        if (database != null) {
            dataSource.setDatabaseName(database);
        }
        return dataSource;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Hides a password given as a URL parameter.
     *
     * @param url a JDBC URL, or null
     * @return the URL with {@code password=...} replaced by {@code password=***}
     */
    static String redact(String url) {
        return url == null ? null : PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    }

    /**
     * The scratch database's name.
     *
     * @return a name such as {@code sentinel_codegen_1a2b3c4d5e6f}
     */
    String database() {
        return database;
    }

    @Override
    public DataSource ownerDataSource() {
        return new SetRoleDataSource(dataSource(url, user, password, database), roles.owner());
    }

    @Override
    public DataSource adminDataSource() {
        return dataSource(url, user, password, database);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try (Connection connection = dataSource(url, user, password, null).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new GenerationException("Could not drop the scratch database " + database + " on " + description
                    + ": " + e.getMessage() + ". Drop it by hand.", e);
        }
    }

    /** Hands out connections that have switched to one role. */
    private static final class SetRoleDataSource implements DataSource {
        private final DataSource delegate;
        private final String role;

        SetRoleDataSource(DataSource delegate, String role) {
            this.delegate = delegate;
            this.role = role;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return switchRole(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return switchRole(delegate.getConnection(username, password));
        }

        private Connection switchRole(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                // The role name is a validated plain identifier (Roles), so it is safe unquoted.
                statement.execute("SET ROLE " + role);
                return connection;
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || delegate.isWrapperFor(type);
        }
    }
}
