package dev.sentinel.core.identity;

import java.util.Locale;

/** The coarse role of a membership, for display and billing; permissions come from {@link Roles}. Stored as text in {@code sentinel.tenant_members.role}. */
public enum MembershipRole {
    /** The tenant's owner. */
    OWNER,
    /** An administrator. */
    ADMIN,
    /** A regular member (the default). */
    MEMBER,
    /** A guest, such as a client's contact. */
    GUEST;

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
    public static MembershipRole fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
