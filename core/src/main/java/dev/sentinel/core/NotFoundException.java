package dev.sentinel.core;

/** No row with that id is visible in the current scope (another tenant's row is reported the same way, so its existence does not leak). */
public class NotFoundException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public NotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
