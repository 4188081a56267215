package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Small JDBC helpers for the schema tests (core's and the modules'): counts, updates, single-column
 * queries, expected failures.
 */
public final class Sql {

    /** SQLSTATE of a row-level security violation and of a missing privilege. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** SQLSTATE of a foreign key violation. */
    public static final String FOREIGN_KEY_VIOLATION = "23503";

    /** SQLSTATE of a unique violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    /** SQLSTATE of a CHECK violation. */
    public static final String CHECK_VIOLATION = "23514";

    /** SQLSTATE that {@code sentinel.reject_modification()} raises on append-only tables. */
    public static final String RESTRICT_VIOLATION = "23001";

    private Sql() {
    }

    /**
     * Runs a query that returns one number.
     *
     * @param connection the connection
     * @param sql the query, with {@code ?} parameters
     * @param params the parameters
     * @return the number
     * @throws SQLException if the query fails
     */
    public static long count(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Runs a statement that changes rows.
     *
     * @param connection the connection
     * @param sql the statement, with {@code ?} parameters
     * @param params the parameters
     * @return the number of rows changed
     * @throws SQLException if the statement fails
     */
    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /**
     * Runs a query and returns its first column as strings.
     *
     * @param connection the connection
     * @param sql the query, with {@code ?} parameters
     * @param params the parameters
     * @return the values, in the query's order
     * @throws SQLException if the query fails
     */
    public static List<String> strings(Connection connection, String sql, Object... params) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /**
     * Asserts that the call fails with a PostgreSQL error of the given SQLSTATE, thrown directly or
     * as the cause of jOOQ's exception.
     *
     * @param sqlState the expected SQLSTATE
     * @param call the call
     * @return the exception, for further assertions on its message
     */
    public static SQLException expectFailure(String sqlState, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        // jOOQ wraps the driver's exception in its unchecked DataAccessException.
        while (thrown != null && !(thrown instanceof SQLException) && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).describedAs("expected an error with SQLSTATE %s", sqlState).isInstanceOf(SQLException.class);
        SQLException error = (SQLException) thrown;
        assertThat(error.getSQLState()).describedAs("SQLSTATE of: %s", error.getMessage()).isEqualTo(sqlState);
        return error;
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }
}
