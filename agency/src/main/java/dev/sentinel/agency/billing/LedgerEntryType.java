package dev.sentinel.agency.billing;

import java.util.Locale;

/** What a ledger entry books; gives the sign of its (always positive) amount. */
public enum LedgerEntryType {
    /** Money in, such as a payment of an invoice. */
    INCOME,
    /** Money out for the tenant's own costs. */
    EXPENSE,
    /** Money paid back to a client, such as for a credit note. */
    REFUND,
    /** A correction in the tenant's favour. */
    CREDIT,
    /** A correction against the tenant. */
    DEBIT;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type for a stored value.
     *
     * @param sql the lower-case name
     * @return the type
     * @throws IllegalArgumentException for an unknown value
     */
    public static LedgerEntryType fromSql(String sql) {
        return valueOf(sql.toUpperCase(Locale.ROOT));
    }
}
