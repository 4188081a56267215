package dev.sentinel.agency.billing;

import dev.sentinel.agency.db.enums.LedgerEntryType;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A booking to record in the ledger with {@link Ledger#record}. Validated when made.
 * Immutable and thread-safe.
 *
 * @param type income, expense, refund, credit or debit; gives the sign
 * @param category the tenant's own category: lower-case letters, digits and underscores, such as {@code invoice_payment}
 * @param amount greater than 0, with at most the currency's decimals (never rounded)
 * @param currency an ISO 4217 code
 * @param occurredAt when the money moved
 * @param description free text, or {@code null}
 * @param invoiceId the invoice the entry settles or refunds, or {@code null}
 * @param externalRef the reference at the payment provider or bank, or {@code null}
 */
public record NewLedgerEntry(LedgerEntryType type, String category, BigDecimal amount, String currency,
        Instant occurredAt, String description, UUID invoiceId, String externalRef) {

    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * Validates the entry.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewLedgerEntry {
        if (type == null) {
            throw new InvalidInputException("ledger entry: the type is missing");
        }
        if (category == null || !CATEGORY.matcher(category).matches()) {
            throw new InvalidInputException("ledger entry: category '" + category + "' must be lower-case letters, digits"
                    + " and underscores, starting with a letter, at most 63 characters");
        }
        int scale = Money.scale(currency);
        if (amount == null || amount.signum() <= 0) {
            throw new InvalidInputException("ledger entry: the amount must be greater than 0, not " + amount
                    + "; the type gives the sign (a refund, a debit)");
        }
        if (amount.stripTrailingZeros().scale() > scale) {
            throw new InvalidInputException("ledger entry: " + amount.toPlainString() + " " + currency + " has more than "
                    + scale + " decimals, the currency's scale");
        }
        if (amount.stripTrailingZeros().precision() - amount.stripTrailingZeros().scale() > 14) {
            throw new InvalidInputException("ledger entry: the amount " + amount.toPlainString() + " is too large");
        }
        if (occurredAt == null) {
            throw new InvalidInputException("ledger entry: occurredAt, when the money moved, is missing");
        }
    }

    /**
     * A payment received for an invoice: type income, category {@code invoice_payment}.
     *
     * @param invoiceId the invoice paid
     * @param amount the amount received
     * @param currency the invoice's currency
     * @param occurredAt when it was received
     * @param externalRef the payment provider's or bank's reference, or {@code null}
     * @return the entry
     */
    public static NewLedgerEntry payment(UUID invoiceId, BigDecimal amount, String currency, Instant occurredAt,
            String externalRef) {
        return new NewLedgerEntry(LedgerEntryType.INCOME, "invoice_payment", amount, currency, occurredAt, null,
                invoiceId, externalRef);
    }

    /**
     * Money paid back for an invoice or credit note: type refund, category {@code invoice_refund}.
     *
     * @param invoiceId the invoice or credit note refunded
     * @param amount the amount paid back
     * @param currency its currency
     * @param occurredAt when it was paid back
     * @param externalRef the payment provider's or bank's reference, or {@code null}
     * @return the entry
     */
    public static NewLedgerEntry refund(UUID invoiceId, BigDecimal amount, String currency, Instant occurredAt,
            String externalRef) {
        return new NewLedgerEntry(LedgerEntryType.REFUND, "invoice_refund", amount, currency, occurredAt, null,
                invoiceId, externalRef);
    }

    /**
     * Sets the description.
     *
     * @param text free text, or {@code null}
     * @return a copy
     */
    public NewLedgerEntry withDescription(String text) {
        return new NewLedgerEntry(type, category, amount, currency, occurredAt, text, invoiceId, externalRef);
    }
}
