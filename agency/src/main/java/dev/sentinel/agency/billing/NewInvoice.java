package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A draft invoice to create with {@link Invoices#createDraft(NewInvoice)}: what it says besides its
 * lines (client, currency, series, due date, project and notes). Validated when made. Immutable and
 * thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Invoice draft = tx.attach(Invoices.class).createDraft(NewInvoice.of(acme.id(), "EUR").withDueOn(LocalDate.of(2026, 7, 31)));
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
public record NewInvoice(UUID clientId, String currency, String series, LocalDate dueOn, UUID projectId, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewInvoice {
        InvoiceRules.validate(clientId, currency, series);
    }

    /**
     * A draft for a client in a currency, in the default series, without due date, project or notes.
     *
     * @param clientId the client
     * @param currency an ISO 4217 code such as {@code EUR}
     * @return the details
     * @throws InvalidInputException if the currency is unknown
     */
    public static NewInvoice of(UUID clientId, String currency) {
        return new NewInvoice(clientId, currency, null, null, null, null);
    }

    /**
     * Sets the client.
     *
     * @param id the client
     * @return a validated copy
     */
    public NewInvoice withClient(UUID id) {
        return new NewInvoice(id, currency, series, dueOn, projectId, notes);
    }

    /**
     * Sets the currency; the lines' totals are recomputed at its scale.
     *
     * @param code an ISO 4217 code
     * @return a validated copy
     */
    public NewInvoice withCurrency(String code) {
        return new NewInvoice(clientId, code, series, dueOn, projectId, notes);
    }

    /**
     * Sets the number series.
     *
     * @param code 1 to 10 upper-case letters or digits, or {@code null} for the default
     * @return a validated copy
     */
    public NewInvoice withSeries(String code) {
        return new NewInvoice(clientId, currency, code, dueOn, projectId, notes);
    }

    /**
     * Sets the due date.
     *
     * @param date the date, or {@code null}
     * @return a copy
     */
    public NewInvoice withDueOn(LocalDate date) {
        return new NewInvoice(clientId, currency, series, date, projectId, notes);
    }

    /**
     * Sets the project.
     *
     * @param id a project of the tenant, or {@code null}
     * @return a copy
     */
    public NewInvoice withProject(UUID id) {
        return new NewInvoice(clientId, currency, series, dueOn, id, notes);
    }

    /**
     * Sets the notes.
     *
     * @param text the notes, or {@code null}
     * @return a copy
     */
    public NewInvoice withNotes(String text) {
        return new NewInvoice(clientId, currency, series, dueOn, projectId, text);
    }
}
