package dev.sentinel.agency.projects;

import java.util.Locale;

/** The role of a member on a project, stored as text in {@code agency.project_assignments.role}. */
public enum AssignmentRole {
    /** Leads the project. */
    LEAD,
    /** Works on it. */
    MEMBER,
    /** Reviews the work. */
    REVIEWER;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role for a stored value.
     *
     * @param sql the lower-case name
     * @return the role
     * @throws IllegalArgumentException for an unknown value
     */
    public static AssignmentRole fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
