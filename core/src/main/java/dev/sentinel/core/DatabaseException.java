package dev.sentinel.core;

/**
 * A PostgreSQL error with no more specific translation. {@link #sqlState()} carries the
 * SQLSTATE code; the cause is the driver's exception.
 */
public class DatabaseException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /** PostgreSQL's SQLSTATE code, or {@code null}. */
    private final String sqlState;

    /**
     * Creates the exception.
     *
     * @param message the server's message
     * @param sqlState the SQLSTATE, or {@code null}
     * @param cause the driver's exception
     */
    public DatabaseException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /**
     * The SQLSTATE code, such as {@code 08006} for a lost connection.
     *
     * @return the code, or {@code null}
     */
    public String sqlState() {
        return sqlState;
    }
}
