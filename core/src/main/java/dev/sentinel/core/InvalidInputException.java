package dev.sentinel.core;

/** An argument is invalid; the message says which and why. Nothing was written. */
public class InvalidInputException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
