package dev.sentinel.core.internal;

import dev.sentinel.core.DatabaseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Finds out, once at start-up, whether the runtime database is a Citus coordinator: there the
 * transaction's {@code SET LOCAL}s reach the workers only if {@code citus.propagate_set_commands}
 * is {@code 'local'} before them, so the runner sends that first.
 */
public final class ClusterCheck {

    private ClusterCheck() {
    }

    /**
     * Whether the Citus extension is installed in the database that {@code dataSource} reaches.
     *
     * @param dataSource the runtime data source
     * @return true on a Citus coordinator (or a worker, which Sentinel never connects to)
     * @throws DatabaseException if the catalog cannot be read
     */
    public static boolean isCitus(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "select exists (select 1 from pg_catalog.pg_extension where extname = 'citus')")) {
            row.next();
            boolean citus = row.getBoolean(1);
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return citus;
        } catch (SQLException e) {
            throw new DatabaseException("Could not check whether the database is a Citus coordinator: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }
}
