package dev.sentinel.core.identity;

import java.util.Locale;

/** Where a role may be assigned; stored as text in {@code sentinel.roles.scope}. */
public enum RoleScope {
    /** Assigned platform-wide ({@code global_role_assignments}); counts in every tenant. */
    GLOBAL,
    /** Assigned in one tenant, across it or for one project ({@code tenant_role_assignments}). */
    TENANT;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The scope for a stored value.
     *
     * @param sql the lower-case name
     * @return the scope
     */
    public static RoleScope fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
