package dev.sentinel.schema;

/**
 * The database holds a migration history that this version of Sentinel cannot continue, such as one
 * written before the kernel's baseline was squashed. Thrown before anything is applied; the message
 * says what to do.
 */
public final class IncompatibleDatabaseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and what to do
     */
    public IncompatibleDatabaseException(String message) {
        super(message);
    }
}
