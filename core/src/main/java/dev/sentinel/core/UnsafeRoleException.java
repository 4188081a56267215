package dev.sentinel.core;

/**
 * The runtime role could bypass row-level security: it is a superuser, has BYPASSRLS, owns
 * Sentinel's objects or is a member of the owner role. Connect as the application role instead, or,
 * knowing why, turn the refusal into a warning with {@link Sentinel.Builder#allowUnsafeRuntimeRole}.
 */
public class UnsafeRoleException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public UnsafeRoleException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public UnsafeRoleException(String message, Throwable cause) {
        super(message, cause);
    }
}
