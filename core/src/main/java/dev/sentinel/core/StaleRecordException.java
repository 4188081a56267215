package dev.sentinel.core;

/** Optimistic locking failed: the row's {@code version} changed since the record was read. Re-read and retry. */
public class StaleRecordException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public StaleRecordException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public StaleRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
