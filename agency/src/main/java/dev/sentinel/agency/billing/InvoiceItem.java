package dev.sentinel.agency.billing;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A line of an invoice or credit note, as stored.
 *
 * @param id the line's id
 * @param invoiceId the invoice it belongs to
 * @param position its place on the invoice, from 1; a removed line leaves a gap, order is what counts
 * @param details description, quantity, unit price, tax rate and price-list entry
 * @param lineTotal quantity times unit price, rounded to the currency's scale ({@link Money#lineTotal})
 */
public record InvoiceItem(UUID id, UUID invoiceId, int position, ItemDetails details, BigDecimal lineTotal) {
}
