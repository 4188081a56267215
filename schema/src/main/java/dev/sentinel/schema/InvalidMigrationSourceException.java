package dev.sentinel.schema;

/**
 * A migration source that cannot be applied as it is: a Prisma migrations folder that is missing,
 * whose {@code migration_lock.toml} names another database than PostgreSQL, whose folder names do
 * not give an order, or that is combined with other locations in one run. Thrown before anything
 * is applied, so nothing was written. The message names the folder and what to change.
 */
public final class InvalidMigrationSourceException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and what to do
     */
    public InvalidMigrationSourceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong and what to do
     * @param cause the underlying failure, such as an I/O error
     */
    public InvalidMigrationSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
