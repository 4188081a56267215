package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The new details of a draft (invoice or credit note) for {@link Invoices#updateDraft}, which
 * replaces every one of them: start from {@link Invoice#change()} (the draft's details as they are)
 * and change what differs. Validated when made. Immutable and thread-safe; each {@code with...}
 * method returns a validated copy.
 *
 * <pre>{@code
 * tx.attach(Invoices.class).updateDraft(draft.id(), draft.change().withNotes("Thank you"));
 * }</pre>
 *
 * @param clientId the client invoiced (a live client of the tenant)
 * @param currency an upper-case ISO 4217 code ({@link Money#scale})
 * @param series the number series: 1 to 10 upper-case letters or digits; {@code null} for the
 *     kind's default ({@code INV}, or {@code CR} for a credit note)
 * @param dueOn the payment due date, or {@code null}
 * @param projectId the project invoiced, or {@code null}
 * @param notes free text printed on the invoice, or {@code null}
 */
public record InvoiceChange(UUID clientId, String currency, String series, LocalDate dueOn, UUID projectId, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public InvoiceChange {
        InvoiceRules.validate(clientId, currency, series);
    }

    /**
     * Sets the client.
     *
     * @param id the client
     * @return a validated copy
     */
    public InvoiceChange withClient(UUID id) {
        return new InvoiceChange(id, currency, series, dueOn, projectId, notes);
    }

    /**
     * Sets the currency; the lines' totals are recomputed at its scale.
     *
     * @param code an ISO 4217 code
     * @return a validated copy
     */
    public InvoiceChange withCurrency(String code) {
        return new InvoiceChange(clientId, code, series, dueOn, projectId, notes);
    }

    /**
     * Sets the number series.
     *
     * @param code 1 to 10 upper-case letters or digits, or {@code null} for the default
     * @return a validated copy
     */
    public InvoiceChange withSeries(String code) {
        return new InvoiceChange(clientId, currency, code, dueOn, projectId, notes);
    }

    /**
     * Sets the due date.
     *
     * @param date the date, or {@code null}
     * @return a copy
     */
    public InvoiceChange withDueOn(LocalDate date) {
        return new InvoiceChange(clientId, currency, series, date, projectId, notes);
    }

    /**
     * Sets the project.
     *
     * @param id a project of the tenant, or {@code null}
     * @return a copy
     */
    public InvoiceChange withProject(UUID id) {
        return new InvoiceChange(clientId, currency, series, dueOn, id, notes);
    }

    /**
     * Sets the notes.
     *
     * @param text the notes, or {@code null}
     * @return a copy
     */
    public InvoiceChange withNotes(String text) {
        return new InvoiceChange(clientId, currency, series, dueOn, projectId, text);
    }
}
