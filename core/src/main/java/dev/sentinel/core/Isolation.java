package dev.sentinel.core;

/**
 * Transaction isolation levels. Sentinel sends them with {@code SET TRANSACTION ISOLATION LEVEL}
 * inside the transaction, never through JDBC's {@code setTransactionIsolation}, which pgjdbc applies
 * to the session: behind a transaction pooler a session setting leaks to other connections.
 */
public enum Isolation {
    /** PostgreSQL's default. */
    READ_COMMITTED("READ COMMITTED"),
    /** A snapshot for the whole transaction; concurrent updates of the same row fail with a serialization error. */
    REPEATABLE_READ("REPEATABLE READ"),
    /** True serializability; conflicts fail with a serialization error, which the retry option can absorb. */
    SERIALIZABLE("SERIALIZABLE");

    private final String sql;

    Isolation(String sql) {
        this.sql = sql;
    }

    /**
     * The level as SQL, such as {@code REPEATABLE READ}.
     *
     * @return the SQL keyword(s)
     */
    public String sql() {
        return sql;
    }
}
