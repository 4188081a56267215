package dev.sentinel.agency.billing;

import java.util.Locale;

/**
 * What a document in {@code agency.invoices} is. Each number series numbers one kind only, so
 * credit notes have numbers of their own.
 */
public enum InvoiceKind {
    /** An invoice; default series {@code INV}. */
    INVOICE,
    /** A correction of an issued invoice, crediting some or all of it; default series {@code CR}. */
    CREDIT_NOTE;

    /**
     * The value stored in the database.
     *
     * @return {@code invoice} or {@code credit_note}
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind for a stored value.
     *
     * @param sql {@code invoice} or {@code credit_note}
     * @return the kind
     * @throws IllegalArgumentException for an unknown value
     */
    public static InvoiceKind fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }

    /**
     * The series a document of this kind goes to when none is named.
     *
     * @return {@code INV} or {@code CR}
     */
    public String defaultSeries() {
        return this == INVOICE ? "INV" : "CR";
    }
}
