package dev.sentinel.core;

/**
 * PostgreSQL aborted the transaction because of a serialization failure or a deadlock, and the
 * transaction's retry budget is spent (or was zero). The transaction was rolled back.
 */
public class SerializationFailureException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public SerializationFailureException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public SerializationFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
