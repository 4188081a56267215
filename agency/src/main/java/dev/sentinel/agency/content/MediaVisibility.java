package dev.sentinel.agency.content;

import java.util.Locale;

/** Who may see a media asset: the values of {@code media_assets.visibility}. */
public enum MediaVisibility {
    /** Anyone with the link. */
    PUBLIC,
    /** The tenant's clients in its portal, and the tenant's members. */
    PORTAL,
    /** The tenant's members only. The default. */
    PRIVATE;

    /**
     * The value stored in {@code media_assets.visibility}.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The visibility stored as {@code sql}.
     *
     * @param sql a value of {@code media_assets.visibility}
     * @return the visibility
     * @throws IllegalArgumentException if the value is not one of the visibilities
     */
    public static MediaVisibility fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
