package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An invoice or credit note with its lines, as read in one query.
 *
 * @param id the id
 * @param kind invoice or credit note
 * @param status draft, issued, paid or void
 * @param series the number series
 * @param number the number as printed, such as {@code INV-2026-000042}; {@code null} while a draft
 * @param sequenceYear the year of the counter the number came from (the issue date's year in the
 *     tenant's time zone); {@code null} while a draft
 * @param sequenceNumber the counter's value, 1, 2, ... per (series, year); {@code null} while a draft
 * @param details client, currency, due date, project and notes
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
        Integer sequenceYear, Integer sequenceNumber, DraftDetails details, UUID correctsInvoiceId,
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
     * The client invoiced.
     *
     * @return the client's id
     */
    public UUID clientId() {
        return details.clientId();
    }

    /**
     * The currency of every amount.
     *
     * @return the ISO 4217 code
     */
    public String currency() {
        return details.currency();
    }
}
