package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.LedgerEntryType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A booking in the tenant's ledger, as stored. Entries are never changed or deleted (the database
 * refuses it); a mistake is corrected by a new entry. Immutable and thread-safe.
 *
 * @param id the id
 * @param type income, expense, refund, credit or debit; gives the sign
 * @param category the tenant's own category, such as {@code invoice_payment}
 * @param amount greater than 0, at the currency's scale
 * @param currency an ISO 4217 code
 * @param occurredAt when the money moved
 * @param description free text, or {@code null}
 * @param invoiceId the invoice the entry settles or refunds, or {@code null}
 * @param externalRef the reference at the payment provider or bank, or {@code null}
 * @param createdAt when it was recorded
 */
public record LedgerEntry(UUID id, LedgerEntryType type, String category, BigDecimal amount, String currency,
        Instant occurredAt, String description, UUID invoiceId, String externalRef, Instant createdAt) {
}
