package dev.sentinel.core;

/**
 * An operation needs a scope it does not have: a tenant table written in the system scope without
 * an explicit {@code tenant_id}, or a {@link Tx} used after its transaction ended.
 */
public class MissingScopeException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public MissingScopeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public MissingScopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
