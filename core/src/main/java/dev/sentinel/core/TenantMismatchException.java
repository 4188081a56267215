package dev.sentinel.core;

/**
 * A row names a different tenant than the current scope: an explicit {@code tenant_id} that is not
 * the scope's, or a write that row-level security rejected. Nothing was written.
 */
public class TenantMismatchException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public TenantMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public TenantMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
