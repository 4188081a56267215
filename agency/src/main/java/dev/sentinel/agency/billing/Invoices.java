package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.InvoiceKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The invoices and credit notes of the current tenant, from {@code tx.attach(Invoices.class)}:
 * drafts and their lines, issuing with gap-free numbers, credit notes, payment and voiding, and the
 * number series with their gap report. The clients invoiced are {@link Clients}; the money that
 * moves is {@link Ledger}.
 * Every call runs in the caller's transaction and commits or rolls back with it. Tenant scope only
 * (in the system scope every method throws {@link dev.sentinel.core.MissingScopeException}). Every
 * operation that writes requires its permission ({@code tx.authorize}); reads require none. Every
 * write is audited by the database's triggers. Valid only inside its transaction; not thread-safe.
 *
 * <p><b>Make {@link #issue} the last write of the transaction.</b> Issuing locks the counter row of
 * its (tenant, series, year) until the transaction ends: that lock is what makes numbers gap-free
 * (a rollback releases the number to the next issuer), and it makes every other issue in the same
 * series and year wait. Work done after {@code issue()} in the same transaction is time the
 * series is blocked for everyone; send e-mails, render PDFs and enqueue jobs after it only if they
 * are quick, or do them in {@code afterCommit} or a job.
 *
 * <p>Errors: bad input is {@link dev.sentinel.core.InvalidInputException} and an operation that
 * the invoice's status does not allow is {@link dev.sentinel.core.InvalidStateTransitionException},
 * both thrown before anything is written; an unknown id (or another tenant's) is
 * {@link dev.sentinel.core.NotFoundException}; a missing permission is
 * {@link dev.sentinel.core.PermissionDeniedException}.
 */
public interface Invoices {

    // ------------------------------------------------------------------------------------ drafts

    /**
     * Creates an empty draft invoice in the default series {@code INV}. Permission {@code invoice:draft}.
     *
     * @param clientId a live client of the tenant
     * @param currency an ISO 4217 code such as {@code EUR}
     * @return the draft, without lines or number
     * @throws dev.sentinel.core.InvalidInputException for an unknown currency
     * @throws dev.sentinel.core.NotFoundException if there is no live client with that id
     */
    Invoice createDraft(UUID clientId, String currency);

    /**
     * Creates an empty draft invoice. A series used for the first time is created with the default
     * number format. Permission {@code invoice:draft} (narrowed to the draft's project, if any).
     *
     * @param invoice client, currency, series, due date, project, notes
     * @return the draft
     * @throws dev.sentinel.core.NotFoundException if there is no live client with that id
     * @throws dev.sentinel.core.InvalidInputException if the series numbers credit notes (the
     *     database's check; the transaction can then only roll back)
     */
    Invoice createDraft(NewInvoice invoice);

    /**
     * Replaces a draft's client, currency, series, due date, project and notes. A currency with
     * another scale recomputes the line totals. Permission {@code invoice:draft}.
     *
     * @param invoiceId the draft (invoice or credit note)
     * @param change every detail, as it should be ({@link Invoice#change()} gives the current ones);
     *     for a credit note, client and currency must stay those of the invoice it corrects
     * @return the draft with its lines
     * @throws dev.sentinel.core.NotFoundException if there is no such draft
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is issued already
     */
    Invoice updateDraft(UUID invoiceId, InvoiceChange change);

    /**
     * Soft-deletes a draft (an issued invoice is voided instead). Permission {@code invoice:draft}.
     *
     * @param invoiceId the draft
     * @param reason why, 1 to 1000 characters
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is issued already
     */
    void deleteDraft(UUID invoiceId, String reason);

    /**
     * Appends a line without tax to a draft. Permission {@code invoice:draft}.
     *
     * @param invoiceId the draft
     * @param description the line's text
     * @param quantity greater than 0
     * @param unitPrice the net price per unit
     * @return the line, with its total
     */
    InvoiceItem addItem(UUID invoiceId, String description, BigDecimal quantity, BigDecimal unitPrice);

    /**
     * Appends a line to a draft, after its last one. Its total is computed at the currency's scale
     * ({@link Money#lineTotal}). Permission {@code invoice:draft}.
     *
     * @param invoiceId the draft
     * @param item the line
     * @return the line, with its total
     * @throws dev.sentinel.core.InvalidStateTransitionException if the invoice is issued already
     * @throws dev.sentinel.core.NotFoundException if there is no such draft
     */
    InvoiceItem addItem(UUID invoiceId, NewInvoiceItem item);

    /**
     * Replaces a line of a draft. Permission {@code invoice:draft}.
     *
     * @param itemId the line
     * @param change what the line says now ({@link InvoiceItem#change()} gives what it says)
     * @return the line, with its new total
     * @throws dev.sentinel.core.InvalidStateTransitionException if its invoice is issued already
     * @throws dev.sentinel.core.NotFoundException if there is no such line
     */
    InvoiceItem changeItem(UUID itemId, InvoiceItemChange change);

    /**
     * Removes a line of a draft (the other lines keep their positions). Permission {@code invoice:draft}.
     *
     * @param itemId the line
     * @throws dev.sentinel.core.InvalidStateTransitionException if its invoice is issued already
     * @throws dev.sentinel.core.NotFoundException if there is no such line
     */
    void removeItem(UUID itemId);

    // ------------------------------------------------------------------------------ credit notes

    /**
     * Drafts a credit note against an issued (or paid) invoice, in series {@code CR}, with a copy of
     * every line: as drafted it credits the whole invoice; remove or change lines to credit part of
     * it. Permission {@code invoice:draft}.
     *
     * @param invoiceId the invoice to correct
     * @return the credit note draft
     * @throws dev.sentinel.core.InvalidStateTransitionException if the invoice is a draft, void, or itself a credit note
     */
    Invoice createCreditNote(UUID invoiceId);

    /**
     * Drafts a credit note in a series of its own.
     *
     * @param invoiceId the invoice to correct
     * @param series a series that numbers credit notes (created as such on first use)
     * @return the credit note draft
     * @see #createCreditNote(UUID)
     */
    Invoice createCreditNote(UUID invoiceId, String series);

    // ---------------------------------------------------------------------- issue and afterwards

    /**
     * Issues a draft: validates it (at least one line, positive net and gross totals, a known
     * currency, a live client; for a credit note, an issued or paid invoice of the same client and
     * currency that it does not credit beyond its gross total), freezes its totals, and gives it the
     * next number of its (tenant, series, year) counter. The year is the issue date's year in the
     * tenant's time zone ({@code tenants.time_zone}), the issue time the service's {@code Clock}.
     * The counter row is created on first use, or incremented, in one statement together with the
     * invoice's update ({@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}), in this
     * transaction: if it rolls back, so does the number, and the next issuer gets it. Permission
     * {@code invoice:issue}, or {@code invoice:credit} for a credit note.
     *
     * <p>Call it last in the transaction (see the class documentation). Under REPEATABLE READ or
     * SERIALIZABLE, two concurrent issues in one series and year make one fail with
     * {@link dev.sentinel.core.SerializationFailureException} (retry it with
     * {@code TxOptions.withRetries}); the default, READ COMMITTED, makes the second wait instead.
     *
     * @param invoiceId the draft
     * @return the issued invoice, with number and totals
     * @throws dev.sentinel.core.InvalidStateTransitionException if it is issued already
     * @throws dev.sentinel.core.InvalidInputException if it has no lines, totals that are not
     *     positive, a deleted client, or (credit note) credits more than the invoice's remaining total
     */
    Invoice issue(UUID invoiceId);

    /**
     * Records that an issued invoice (or credit note) is settled: issued -> paid. Only the status and
     * {@code paidAt} change. Record the money itself with {@link Ledger#record}. Permission
     * {@code invoice:mark_paid}.
     *
     * @param invoiceId the invoice
     * @param paidAt when it was paid
     * @return the paid invoice
     * @throws dev.sentinel.core.InvalidStateTransitionException unless it is issued
     */
    Invoice markPaid(UUID invoiceId, Instant paidAt);

    /**
     * Voids an issued invoice (or credit note): issued -> void. It keeps its number, which stays
     * used (no gap). Permission {@code invoice:void}.
     *
     * @param invoiceId the invoice
     * @param reason why, 1 to 1000 characters
     * @return the void invoice
     * @throws dev.sentinel.core.InvalidStateTransitionException unless it is issued
     */
    Invoice voidInvoice(UUID invoiceId, String reason);

    // ------------------------------------------------------------------------------------- reads

    /**
     * Reads an invoice or credit note with its lines, in one statement (the lines are a
     * {@code MULTISET}), whatever their number. Soft-deleted drafts are not found.
     *
     * @param invoiceId the id
     * @return the invoice, or empty if this tenant has none with that id
     */
    Optional<Invoice> find(UUID invoiceId);

    /**
     * Reads an invoice or credit note with its lines, in one statement.
     *
     * @param invoiceId the id
     * @return the invoice
     * @throws dev.sentinel.core.NotFoundException if this tenant has none with that id
     */
    Invoice get(UUID invoiceId);

    // --------------------------------------------------------------------------------- numbering

    /**
     * Configures a series: the kind it numbers (fixed once the series exists) and its number format
     * ({@link NumberSeries}). A new format applies to numbers issued from now on; numbers issued
     * already keep theirs. Permission {@code invoice:configure}.
     *
     * @param series 1 to 10 upper-case letters or digits
     * @param kind the kind of document it numbers
     * @param numberFormat such as {@code RE-{yy}/{0000}}
     * @return the configuration
     * @throws dev.sentinel.core.InvalidInputException for a malformed format, or a kind that differs
     *     from the existing series's
     */
    NumberSeries configureSeries(String series, InvoiceKind kind, String numberFormat);

    /**
     * Reads a series's configuration.
     *
     * @param series the series code
     * @return the configuration, or empty if the series was never used or configured (it then gets
     *     {@link NumberSeries#DEFAULT_FORMAT} on first use)
     */
    Optional<NumberSeries> series(String series);

    /**
     * Compares a (series, year)'s counter with the numbers its documents carry.
     *
     * @param series the series code
     * @param year the year (in the tenant's time zone)
     * @return the report; {@link GapReport#isComplete()} is true when the numbers are exactly 1..n
     */
    GapReport gapReport(String series, int year);
}
