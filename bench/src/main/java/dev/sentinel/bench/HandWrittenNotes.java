package dev.sentinel.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The transaction skeleton that both hand-written variants share: one pooled connection (auto-commit
 * off, so pgjdbc sends its BEGIN with the first statement), the tenant sent as one
 * {@code SET LOCAL} statement for row-level security, the work, commit, or rollback on failure. A
 * request id for the audit rows is made per transaction, as Sentinel makes one.
 *
 * @param <H> how the variant holds a row
 */
abstract class HandWrittenNotes<H> extends AbstractNotes<H> {

    /** One unit of work on the transaction's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, String requestId) throws SQLException;
    }

    private final DataSource dataSource;
    private final String setTenant;
    final UUID tenantId;
    final UUID userId;

    HandWrittenNotes(DataSource dataSource, UUID tenantId, UUID userId) {
        this.dataSource = dataSource;
        this.tenantId = tenantId;
        this.userId = userId;
        // A validated literal: a UUID's text cannot break out of the quotes.
        this.setTenant = "SET LOCAL sentinel.tenant_id = '" + tenantId + "'";
    }

    /**
     * Runs work in one transaction of this variant's tenant.
     *
     * @param work the work
     * @param <T> its result
     * @return the result, after the commit
     */
    final <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(setTenant);
                }
                T result = work.run(connection, UUIDS.generate().toString());
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackError) {
                    e.addSuppressed(rollbackError);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final Object trivialTransaction() {
        return inTransaction((connection, requestId) -> {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }
}
