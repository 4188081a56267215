package dev.sentinel.core;

/**
 * A write would duplicate a value that must be unique, for example a slug already used by a live
 * row. {@link #constraint()} names the unique constraint or index.
 */
public class UniqueViolationException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is duplicated
     * @param constraint the constraint or unique index
     * @param table the table
     * @param cause the driver's exception
     */
    public UniqueViolationException(String message, String constraint, String table, Throwable cause) {
        super(message, constraint, table, cause);
    }
}
