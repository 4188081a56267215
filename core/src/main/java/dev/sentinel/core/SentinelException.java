package dev.sentinel.core;

/**
 * The root of every exception Sentinel throws. Unchecked: callers catch the subclass named for the
 * failure they can handle, and let the rest propagate. PostgreSQL errors arrive translated, with the
 * driver's exception kept as the cause.
 */
public class SentinelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public SentinelException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public SentinelException(String message, Throwable cause) {
        super(message, cause);
    }
}
