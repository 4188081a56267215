package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a draft says besides its lines: client, currency, series, due date, project and notes.
 * Validated when made. Read a draft's current details with {@link Invoice#details()}, change them
 * with the {@code with...} methods, and pass them to {@link Invoices#updateDraft}.
 *
 * @param clientId the client invoiced (a live client of the tenant)
 * @param currency an upper-case ISO 4217 code ({@link Money#scale})
 * @param series the number series: 1 to 10 upper-case letters or digits; {@code null} for the
 *     kind's default ({@code INV}, or {@code CR} for a credit note)
 * @param dueOn the payment due date, or {@code null}
 * @param projectId the project invoiced, or {@code null}
 * @param notes free text printed on the invoice, or {@code null}
 */
public record DraftDetails(UUID clientId, String currency, String series, LocalDate dueOn, UUID projectId, String notes) {

    private static final Pattern SERIES = Pattern.compile("[A-Z0-9]{1,10}");

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public DraftDetails {
        if (clientId == null) {
            throw new InvalidInputException("draft: the client is missing; create one with tx.attach(Invoices.class).createClient(...)");
        }
        Money.requireCurrency(currency);
        if (series != null && !SERIES.matcher(series).matches()) {
            throw new InvalidInputException("draft: series '" + series + "' must be 1 to 10 upper-case letters or digits,"
                    + " such as INV");
        }
    }

    /**
     * A draft for a client in a currency, in the default series, without due date, project or notes.
     *
     * @param clientId the client
     * @param currency an ISO 4217 code such as {@code EUR}
     * @return the details
     * @throws InvalidInputException if the currency is unknown
     */
    public static DraftDetails of(UUID clientId, String currency) {
        return new DraftDetails(clientId, currency, null, null, null, null);
    }

    /**
     * Sets the client.
     *
     * @param id the client
     * @return a validated copy
     */
    public DraftDetails withClient(UUID id) {
        return new DraftDetails(id, currency, series, dueOn, projectId, notes);
    }

    /**
     * Sets the currency; the lines' totals are recomputed at its scale.
     *
     * @param code an ISO 4217 code
     * @return a validated copy
     */
    public DraftDetails withCurrency(String code) {
        return new DraftDetails(clientId, code, series, dueOn, projectId, notes);
    }

    /**
     * Sets the number series.
     *
     * @param code 1 to 10 upper-case letters or digits, or {@code null} for the default
     * @return a validated copy
     */
    public DraftDetails withSeries(String code) {
        return new DraftDetails(clientId, currency, code, dueOn, projectId, notes);
    }

    /**
     * Sets the due date.
     *
     * @param date the date, or {@code null}
     * @return a copy
     */
    public DraftDetails withDueOn(LocalDate date) {
        return new DraftDetails(clientId, currency, series, date, projectId, notes);
    }

    /**
     * Sets the project.
     *
     * @param id a project of the tenant, or {@code null}
     * @return a copy
     */
    public DraftDetails withProject(UUID id) {
        return new DraftDetails(clientId, currency, series, dueOn, id, notes);
    }

    /**
     * Sets the notes.
     *
     * @param text the notes, or {@code null}
     * @return a copy
     */
    public DraftDetails withNotes(String text) {
        return new DraftDetails(clientId, currency, series, dueOn, projectId, text);
    }
}
