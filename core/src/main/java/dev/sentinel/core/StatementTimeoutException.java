package dev.sentinel.core;

/** A statement ran longer than the transaction's statement timeout and was cancelled; the transaction was rolled back. */
public class StatementTimeoutException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public StatementTimeoutException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public StatementTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
