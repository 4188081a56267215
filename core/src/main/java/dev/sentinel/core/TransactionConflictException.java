package dev.sentinel.core;

/**
 * A nested transaction asked for something the outer transaction it would join cannot give: a
 * different tenant or scope, another isolation level, or write access inside a read-only one.
 */
public class TransactionConflictException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public TransactionConflictException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public TransactionConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
