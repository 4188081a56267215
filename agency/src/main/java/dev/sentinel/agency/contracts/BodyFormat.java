package dev.sentinel.agency.contracts;

import java.util.Locale;

/** The markup of a version's body, stored as text in {@code agency.contract_versions.body_format}. */
public enum BodyFormat {
    /** Markdown. */
    MARKDOWN,
    /** HTML. */
    HTML,
    /** Plain text. */
    PLAIN;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
