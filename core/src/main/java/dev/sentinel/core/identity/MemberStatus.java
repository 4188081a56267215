package dev.sentinel.core.identity;

import java.util.Locale;

/** Where a membership stands; only an active member's grants count. Stored as text in {@code sentinel.tenant_members.status}. */
public enum MemberStatus {
    /** Invited, not yet accepted. */
    INVITED,
    /** A member. */
    ACTIVE,
    /** Removed: the row stays as history, grants and sessions are gone. */
    REMOVED;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant for a stored value.
     *
     * @param sql the lower-case name
     * @return the constant
     */
    public static MemberStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
