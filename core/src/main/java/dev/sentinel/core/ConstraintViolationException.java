package dev.sentinel.core;

/**
 * PostgreSQL rejected a write because it broke a constraint (foreign key, check, not-null,
 * exclusion) or a trigger refused it as {@code restrict_violation} (SQLSTATE 23001: an append-only or
 * immutable table, such as the audit logs). The constraint's or table's name
 * says which rule; nothing was written.
 */
public class ConstraintViolationException extends SentinelException {
    private static final long serialVersionUID = 1L;

    /** The name of the constraint that was broken, or {@code null}. */
    private final String constraint;
    /** The table it belongs to, or {@code null}. */
    private final String table;

    /**
     * Creates the exception.
     *
     * @param message what was violated and what to do
     * @param constraint the constraint's name as PostgreSQL reports it, or {@code null}
     * @param table the table, or {@code null}
     * @param cause the driver's exception
     */
    public ConstraintViolationException(String message, String constraint, String table, Throwable cause) {
        super(message, cause);
        this.constraint = constraint;
        this.table = table;
    }

    /**
     * The violated constraint (or unique index), for example {@code tenants_slug_live_key}.
     *
     * @return the name, or {@code null} if PostgreSQL did not report one
     */
    public String constraint() {
        return constraint;
    }

    /**
     * The table the write went to.
     *
     * @return the table name, or {@code null} if PostgreSQL did not report one
     */
    public String table() {
        return table;
    }
}
