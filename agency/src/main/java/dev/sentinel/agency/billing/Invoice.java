package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An invoice or credit note with its lines, as read in one query. Immutable and thread-safe.
 *
 * @param id the id
 * @param kind invoice or credit note
 * @param status draft, issued, paid or void
 * @param series the number series
 * @param number the number as printed, such as {@code INV-2026-000042}; {@code null} while a draft
 * @param sequenceYear the year of the counter the number came from (the issue date's year in the
 *     tenant's time zone); {@code null} while a draft
 * @param sequenceNumber the counter's value, 1, 2, ... per (series, year); {@code null} while a draft
 * @param clientId the client invoiced
 * @param currency the ISO 4217 currency of every amount
 * @param dueOn the payment due date, or {@code null}
 * @param projectId the project invoiced, or {@code null}
 * @param notes free text printed on the invoice, or {@code null}
 * @param correctsInvoiceId for a credit note, the invoice it corrects; otherwise {@code null}
 * @param issuedAt when it was issued (the service's {@code Clock}); {@code null} while a draft
 * @param issuedOn the issue date in the tenant's time zone; {@code null} while a draft
 * @param paidAt when payment was recorded, or {@code null}
 * @param voidedAt when it was voided, or {@code null}
 * @param voidReason why it was voided, or {@code null}
 * @param items the lines, by position
 * @param totals stored at issue; computed from the lines while a draft
 * @param version the optimistic-locking version, incremented on every change
 * @param createdAt when the draft was created
 * @param updatedAt when it last changed
 */
public record Invoice(UUID id, InvoiceKind kind, InvoiceStatus status, String series, String number,
        Integer sequenceYear, Integer sequenceNumber, UUID clientId, String currency, LocalDate dueOn, UUID projectId,
        String notes, UUID correctsInvoiceId,
        Instant issuedAt, LocalDate issuedOn, Instant paidAt, Instant voidedAt, String voidReason,
        List<InvoiceItem> items, InvoiceTotals totals, int version, Instant createdAt, Instant updatedAt) {

    /**
     * Copies the list of lines.
     */
    public Invoice {
        items = List.copyOf(items);
    }

    /**
     * The number, present once issued.
     *
     * @return the number as printed, or empty while a draft
     */
    public Optional<String> printedNumber() {
        return Optional.ofNullable(number);
    }

    /**
     * The draft's details as they are (with its series), to change and pass to
     * {@link Invoices#updateDraft}.
     *
     * @return the details, validated
     */
    public InvoiceChange change() {
        return new InvoiceChange(clientId, currency, series, dueOn, projectId, notes);
    }
}
