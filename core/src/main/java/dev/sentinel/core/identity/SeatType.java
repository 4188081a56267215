package dev.sentinel.core.identity;

import java.util.Locale;

/** The billed seat of a member. Stored as text in {@code sentinel.tenant_members.seat_type}. */
public enum SeatType {
    /** The free beta seat (the default). */
    FREE_BETA,
    /** A paid pro seat. */
    PRO,
    /** An enterprise seat. */
    ENTERPRISE;

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
    public static SeatType fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
