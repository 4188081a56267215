package dev.sentinel.core.identity;

import java.util.Locale;

/** Whether a user may sign in. Stored as text in {@code sentinel.users.status}. */
public enum UserStatus {
    /** May sign in. */
    ACTIVE,
    /** May not sign in; the service's authentication must refuse them. */
    DISABLED;

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
    public static UserStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
