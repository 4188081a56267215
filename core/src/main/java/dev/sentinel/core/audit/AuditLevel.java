package dev.sentinel.core.audit;

/** The level of an audit entry. */
public enum AuditLevel {
    /** An ordinary action. */
    INFO,
    /** Something worth a look, such as a denied permission. */
    WARN,
    /** A failure, such as a dead-lettered job. */
    ERROR;

    /**
     * The value stored in the {@code level} column.
     *
     * @return {@code info}, {@code warn} or {@code error}
     */
    public String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
