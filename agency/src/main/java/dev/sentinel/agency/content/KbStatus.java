package dev.sentinel.agency.content;

import java.util.Locale;

/**
 * The life cycle of a knowledge-base document: the values of {@code kb_documents.status}.
 * {@link #DRAFT} -> {@link #PUBLISHED} -> {@link #ARCHIVED}, and an archived document may be
 * published again.
 */
public enum KbStatus {
    /** Being written; not shown to readers. The default. */
    DRAFT,
    /** Shown to readers; has a publication time. */
    PUBLISHED,
    /** Withdrawn; kept, read-only, may be published again. */
    ARCHIVED;

    /**
     * The value stored in {@code kb_documents.status}.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status stored as {@code sql}.
     *
     * @param sql a value of {@code kb_documents.status}
     * @return the status
     * @throws IllegalArgumentException if the value is not one of the statuses
     */
    public static KbStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
