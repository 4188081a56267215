package dev.sentinel.core.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A transaction's first statements (its mode, the pins and Sentinel's settings) as SQL whose text
 * does not change from one transaction to the next, and the values of its {@code ?} binds. Constant
 * text lets pgjdbc prepare it on the server once per connection (after {@code prepareThreshold}
 * uses), so a transaction's setup costs the server a bind and an execute, not a parse and plan of
 * every {@code SET}. Immutable.
 *
 * @param sql one or more statements separated by "; ", with {@code ?} where a value goes
 * @param values the values, in the order of the {@code ?}s: all text, each a validated literal
 * @param resultSets how many result sets its statements answer with, which are not the caller's
 * @param pinsTenant whether the last column of its last result set is the closed-tenant pin's answer
 *     (a tenant scope outside Citus)
 * @param retry the same setup with the timeouts pinned by statements of their own first, to send
 *     after a rollback when a timeout the session had cancelled this one ({@link #retryAs});
 *     {@code null} for none
 * @param pipelined the same setup with the pin as a statement of its own, for a batch with other
 *     statements ({@link #forPipelining}); {@code null} when this one serves
 */
record TransactionSetup(String sql, List<String> values, int resultSets, boolean pinsTenant, TransactionSetup retry,
                        TransactionSetup pipelined) {

    /** Query cancelled (a statement timeout) and lock not available (a lock timeout). */
    private static final List<String> TIMED_OUT = List.of("57014", "55P03");

    /**
     * The setup to send again, after a rollback, when this one failed on a timeout the session had
     * before the setup's own pins took effect: only the setup's first statements run under it, and
     * nothing of the transaction's own has run when they fail, so sending it again is safe.
     *
     * @param error the error of the round trip that carried this setup
     * @return the retry, or {@code null} when the error is another or there is none
     */
    TransactionSetup retryAs(SQLException error) {
        return retry != null && TIMED_OUT.contains(error.getSQLState()) ? retry : null;
    }

    /**
     * The form to send in one batch with other statements: there a timeout could also come from
     * them, which must not be sent twice, so no retry is possible, and the pin goes as a statement
     * of its own, under the timeouts the select before it pinned.
     *
     * @return the setup to pipeline
     */
    TransactionSetup forPipelining() {
        return pipelined != null ? pipelined : this;
    }

    /**
     * Whether the values travel as binds, so that the text is the same from one transaction to the
     * next (the {@code SET LOCAL} form on Citus writes them in).
     *
     * @return whether the text is constant
     */
    boolean constantText() {
        return !values.isEmpty();
    }

    /**
     * Binds the values to a statement whose text starts with {@link #sql()}.
     *
     * @param statement the statement
     * @return the index of the next bind, for the statements that follow the setup
     * @throws SQLException from the driver
     */
    int bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (String value : values) {
            statement.setString(index++, value);
        }
        return index;
    }

    /**
     * Reads the setup's answers from an executed statement whose text starts with {@link #sql()}:
     * the closing time of a closed tenant (the pin's row, its last result set, when it
     * {@link #pinsTenant() pins one}), and leaves the statement on the first result after the setup's.
     *
     * @param statement the executed statement
     * @param isResultSet what {@code execute()} answered
     * @return the closing time, and whether the statement's current result is a result set
     * @throws SQLException from the driver
     */
    Answer read(Statement statement, boolean isResultSet) throws SQLException {
        OffsetDateTime closedSince = null;
        boolean current = isResultSet;
        int read = 0;
        while (read < resultSets) {
            if (current) {
                try (ResultSet resultSet = statement.getResultSet()) {
                    if (pinsTenant && read == resultSets - 1 && resultSet.next()) {
                        closedSince = resultSet.getObject(resultSet.getMetaData().getColumnCount(), OffsetDateTime.class);
                    }
                }
                read++;
            } else if (statement.getUpdateCount() == -1) {
                break;
            }
            current = statement.getMoreResults();
        }
        return new Answer(closedSince, current);
    }

    /**
     * What the setup answered.
     *
     * @param closedSince when the tenant was closed, or {@code null} when it is open (or the scope has none)
     * @param nextIsResultSet whether the statement's result after the setup's is a result set
     */
    record Answer(OffsetDateTime closedSince, boolean nextIsResultSet) {
    }
}
