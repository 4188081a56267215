package dev.sentinel.agency.billing;

import java.util.List;
import java.util.UUID;

/**
 * The ledger of the current tenant, from {@code tx.attach(Ledger.class)}: the money that moved,
 * such as payments and refunds of invoices. Entries are never changed or deleted (the database
 * refuses it); a mistake is corrected by a new entry. Every call runs in the caller's transaction.
 * Tenant scope only (in the system scope every method throws
 * {@link dev.sentinel.core.MissingScopeException}). Recording requires {@code ledger:record}
 * (narrowed to the invoice's project, if any); reads require none. Valid only inside its
 * transaction; not thread-safe.
 *
 * <pre>{@code
 * tx.attach(Ledger.class).record(NewLedgerEntry.payment(invoice.id(), invoice.totals().gross(), "EUR", paidAt, "bank-4711"));
 * }</pre>
 */
public interface Ledger {

    /**
     * Books an entry in the tenant's ledger. An entry that names an invoice must be in the
     * invoice's currency, and the invoice must be issued (or paid, or void). Permission
     * {@code ledger:record}.
     *
     * @param entry the booking ({@link NewLedgerEntry#payment}, {@link NewLedgerEntry#refund}, ...)
     * @return the entry
     * @throws dev.sentinel.core.InvalidInputException if the currency differs from the invoice's
     * @throws dev.sentinel.core.InvalidStateTransitionException if the invoice is a draft
     * @throws dev.sentinel.core.NotFoundException if the invoice named is not one of this tenant's
     */
    LedgerEntry record(NewLedgerEntry entry);

    /**
     * The ledger entries of an invoice, oldest first.
     *
     * @param invoiceId the invoice
     * @return the entries, possibly none
     */
    List<LedgerEntry> entries(UUID invoiceId);
}
