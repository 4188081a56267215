package dev.sentinel.schema.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The owner's data source as Flyway sees it: every connection it opens is prepared for migrations
 * on a Citus coordinator, and left as it is anywhere else. Three settings of the session, so that
 * migrations written for plain PostgreSQL run unchanged on a cluster:
 * <ul>
 *   <li>{@code citus.enable_local_reference_table_foreign_keys = off}: a table created with a
 *       foreign key to a reference table ({@code tenants}) would otherwise become a Citus local
 *       table at once, which can then neither reference a distributed table (a membership, in the
 *       same {@code create table}) nor be distributed; off, it stays a plain table until
 *       {@code sentinel.distribute}, called right after it, places it with its keys;</li>
 *   <li>{@code citus.enable_unsafe_triggers = on}: a migration that adds a trigger to a table an
 *       earlier migration placed (a module's guard) is refused otherwise, as
 *       {@code sentinel.distribute} allows them for its own migration's transaction;</li>
 *   <li>{@code citus.multi_shard_modify_mode = 'sequential'}: a migration that changes a distributed
 *       table (an index, over one connection per shard) and then creates or replaces a function is
 *       refused otherwise, since Citus propagates a function over one connection per node.</li>
 * </ul>
 * Thread-safe if the data source is.
 *
 * @param owner the owner role's data source
 */
public record MigrationSessions(DataSource owner) implements DataSource {

    private static final String PREPARE = "select pg_catalog.set_config('citus.enable_local_reference_table_foreign_keys', 'off', false),"
            + " pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', false),"
            + " pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', false)"
            + " from pg_catalog.pg_extension where extname = 'citus'";

    @Override
    public Connection getConnection() throws SQLException {
        return prepared(owner.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return prepared(owner.getConnection(username, password));
    }

    private static Connection prepared(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(PREPARE);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException closeError) {
                e.addSuppressed(closeError);
            }
            throw e;
        }
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return owner.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        owner.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        owner.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return owner.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return owner.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(owner) ? type.cast(owner) : owner.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(owner) || owner.isWrapperFor(type);
    }
}
