package dev.sentinel.core;

/** Migrate-on-start failed; the service must not start on a half-migrated schema. The cause is Flyway's error. */
public class MigrationFailedException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     */
    public MigrationFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause the underlying error, kept in the chain
     */
    public MigrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
