package dev.sentinel.core;

/**
 * The connection to PostgreSQL was lost, or none could be made: SQLSTATE class 08 (connection
 * exception, including the driver's I/O errors) or 57P01, 57P02, 57P03 (the server terminated the
 * session, is shutting down or crashed, or is not accepting connections yet).
 *
 * <p>What happened to the transaction depends on {@link #duringCommit()}:
 * <ul>
 *   <li>{@code false}: the connection broke before {@code COMMIT} was sent, so PostgreSQL rolled
 *       the transaction back and none of its writes persist. Running the work again is safe as
 *       far as the database is concerned.</li>
 *   <li>{@code true}: the connection broke while {@code COMMIT} was in flight. The server may have
 *       committed before the answer was lost, so the outcome is unknown: check (for example by
 *       the id the work wrote) before doing the work again.</li>
 * </ul>
 *
 * <p>Not retried by {@link TxOptions#withRetries}, which is for serialization failures and
 * deadlocks only. The pool discards the broken connection; later transactions get a new one once
 * the server is reachable again.
 */
public class ConnectionLostException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    /** Whether the connection broke while {@code COMMIT} was in flight. */
    private final boolean duringCommit;

    /**
     * Creates the exception for a connection lost before the commit, or never made.
     *
     * @param message what went wrong
     * @param sqlState the SQLSTATE, or {@code null}
     * @param cause the driver's or the pool's exception
     */
    public ConnectionLostException(String message, String sqlState, Throwable cause) {
        this(message, sqlState, cause, false);
    }

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param sqlState the SQLSTATE, or {@code null}
     * @param cause the driver's or the pool's exception
     * @param duringCommit whether the connection broke while {@code COMMIT} was in flight
     */
    public ConnectionLostException(String message, String sqlState, Throwable cause, boolean duringCommit) {
        super(message, sqlState, cause);
        this.duringCommit = duringCommit;
    }

    /**
     * Whether the connection broke while {@code COMMIT} was in flight, so that the transaction may
     * or may not have committed.
     *
     * @return {@code true} if the outcome is unknown; {@code false} if the transaction certainly
     *     did not commit
     */
    public boolean duringCommit() {
        return duringCommit;
    }
}
