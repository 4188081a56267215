package dev.sentinel.agency.billing;

import java.util.Locale;

/**
 * The life of an invoice or credit note, stored as text in {@code agency.invoices.status}. A draft
 * becomes issued (and numbered); an issued one becomes paid or void. Nothing else moves, and the
 * database refuses any other change (trigger {@code invoices_guard}).
 */
public enum InvoiceStatus {
    /** Editable, without a number; may be soft-deleted. */
    DRAFT,
    /** Numbered and immutable. */
    ISSUED,
    /** Issued and paid: {@code paidAt} is set. Final. */
    PAID,
    /** Issued and cancelled: the number stays used. Final. */
    VOID;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status for a stored value.
     *
     * @param sql the lower-case name
     * @return the status
     * @throws IllegalArgumentException for an unknown value
     */
    public static InvoiceStatus fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
