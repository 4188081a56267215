package dev.sentinel.core;

/** The row is not in a state that allows the operation (for example soft-deleting a row that is already deleted). */
public class InvalidStateTransitionException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public InvalidStateTransitionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public InvalidStateTransitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
