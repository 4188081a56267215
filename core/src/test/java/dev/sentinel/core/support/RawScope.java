package dev.sentinel.core.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A scope set by hand on a raw JDBC connection, the way the runtime sets it (statement-form
 * {@code SET LOCAL} right after BEGIN): no scope (row-level security fails closed), one tenant, or
 * the system scope. The schema tests use it instead of the runtime's {@code dev.sentinel.core.Scope}
 * so that they test the database alone. A tenant or the system scope also sets the actor to the
 * service {@code service:raw-sql}, as the service's own raw SQL would: the database's authorization
 * guards then let it through, and what the tests see is row-level security and the constraints (a
 * test of the guards sets another actor in its work). Runs JDBC work in one transaction on a
 * connection of the given data source, then commits or rolls back. Immutable and thread-safe.
 *
 * @param tenantId the tenant, or null
 * @param systemScope whether the system scope is on
 */
public record RawScope(UUID tenantId, boolean systemScope) {

    /** Work on one connection inside the scoped transaction. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param connection the connection, in a transaction with the scope set
         * @return a result
         * @throws SQLException if a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * No tenant, no system scope: the state of a connection nobody scoped.
     *
     * @return the scope
     */
    public static RawScope none() {
        return new RawScope(null, false);
    }

    /**
     * One tenant.
     *
     * @param tenantId the tenant
     * @return the scope
     */
    public static RawScope tenant(UUID tenantId) {
        return new RawScope(Objects.requireNonNull(tenantId, "tenantId"), false);
    }

    /**
     * The system scope, which sees every tenant.
     *
     * @return the scope
     */
    public static RawScope system() {
        return new RawScope(null, true);
    }

    /**
     * Runs the work and commits.
     *
     * @param dataSource where the connection comes from (and so which role acts)
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws SQLException if a statement or the commit fails; the transaction is rolled back
     */
    public <T> T commit(DataSource dataSource, Work<T> work) throws SQLException {
        return run(dataSource, work, true);
    }

    /**
     * Runs the work and rolls back, so that a test which probes writes leaves no trace even when the
     * write it expected to fail succeeds.
     *
     * @param dataSource where the connection comes from
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws SQLException if a statement fails
     */
    public <T> T rollback(DataSource dataSource, Work<T> work) throws SQLException {
        return run(dataSource, work, false);
    }

    /**
     * Runs a query that returns one number, then rolls back.
     *
     * @param dataSource where the connection comes from
     * @param sql the query, with {@code ?} parameters
     * @param params the parameters
     * @return the number
     * @throws SQLException if the query fails
     */
    public long count(DataSource dataSource, String sql, Object... params) throws SQLException {
        return rollback(dataSource, connection -> Sql.count(connection, sql, params));
    }

    /**
     * Runs a statement that changes rows, then rolls back: a probe of what the scope may write.
     *
     * @param dataSource where the connection comes from
     * @param sql the statement, with {@code ?} parameters
     * @param params the parameters
     * @return the number of rows the statement changed before the rollback
     * @throws SQLException if the statement fails
     */
    public int probe(DataSource dataSource, String sql, Object... params) throws SQLException {
        return rollback(dataSource, connection -> Sql.update(connection, sql, params));
    }

    private <T> T run(DataSource dataSource, Work<T> work, boolean commit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    if (tenantId != null) {
                        statement.execute("set local sentinel.tenant_id = '" + tenantId + "'");
                    }
                    if (systemScope) {
                        statement.execute("set local sentinel.scope = 'system'");
                    }
                    if (tenantId != null || systemScope) {
                        statement.execute("set local sentinel.actor_id = 'service:raw-sql'");
                    }
                }
                T result = work.run(connection);
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackError) {
                    e.addSuppressed(rollbackError);
                }
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return systemScope ? "system scope" : tenantId == null ? "no scope" : "tenant " + tenantId;
    }
}
