package dev.sentinel.schema.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
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
 * And on such a connection the statements Citus refuses in a form plain PostgreSQL takes are sent
 * as the equivalent statements {@link CitusStatements} makes of them (an {@code ALTER TABLE} that
 * adds a constraint among other subcommands, as one statement per subcommand).
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
            boolean citus;
            try (ResultSet row = statement.executeQuery(PREPARE)) {
                citus = row.next();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return citus ? rewriting(connection) : connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException closeError) {
                e.addSuppressed(closeError);
            }
            throw e;
        }
    }

    /** The connection, with each statement that Flyway executes passed through {@link CitusStatements#rewrite}. */
    private static Connection rewriting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(MigrationSessions.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    return method.getName().equals("createStatement") && result instanceof Statement statement
                            ? rewriting(statement, (Connection) proxy) : result;
                });
    }

    private static Statement rewriting(Statement statement, Connection connection) {
        return (Statement) Proxy.newProxyInstance(MigrationSessions.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return connection;
                    }
                    if (method.getName().equals("execute") && args != null && args.length == 1 && args[0] instanceof String sql) {
                        List<String> statements = CitusStatements.rewrite(sql);
                        boolean results = false;
                        for (String each : statements) {
                            results = statement.execute(each);
                        }
                        return results;
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
