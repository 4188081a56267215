package dev.sentinel.core;

/** The scope or the actor may not perform this operation (for example a purge outside the system scope). Nothing was written. */
public class PermissionDeniedException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
