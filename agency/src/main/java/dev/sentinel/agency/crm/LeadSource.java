package dev.sentinel.agency.crm;

import java.util.Locale;

/** Where a lead came from: the values of {@code leads.source}. */
public enum LeadSource {
    /** A form on the tenant's website. */
    WEBSITE,
    /** Recommended by someone. */
    REFERRAL,
    /** An e-mail to the tenant. */
    EMAIL,
    /** Met at an event. */
    EVENT,
    /** Imported from a file or another system. */
    IMPORT,
    /** Anything else. The default. */
    OTHER;

    /**
     * The value stored in {@code leads.source}.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The source stored as {@code sql}.
     *
     * @param sql a value of {@code leads.source}
     * @return the source
     * @throws IllegalArgumentException if the value is not one of the sources
     */
    public static LeadSource fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
