package dev.sentinel.core.internal;

import dev.sentinel.core.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Runs a catalog read of the start-up and health checks on one pooled connection, in a read-only
 * transaction that pins its timeouts first: the checks look for the per-role defaults that a
 * poisoned role carries (a 1 ms {@code statement_timeout}), so they must not fall to them.
 */
final class CatalogRead {

    /** The read itself. */
    @FunctionalInterface
    interface Read<T> {
        T read(Connection connection) throws SQLException;
    }

    private CatalogRead() {
    }

    static <T> T run(DataSource dataSource, String what, Read<T> read) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0");
                return read.read(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not read " + what + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
