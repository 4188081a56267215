package dev.sentinel.core.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 */
record TransactionSetup(String sql, List<String> values, int resultSets) {

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
}
