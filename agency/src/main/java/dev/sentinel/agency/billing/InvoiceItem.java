package dev.sentinel.agency.billing;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A line of an invoice or credit note, as stored. Immutable and thread-safe.
 *
 * @param id the line's id
 * @param invoiceId the invoice it belongs to
 * @param position its place on the invoice, from 1; a removed line leaves a gap, order is what counts
 * @param description the text of the line
 * @param quantity greater than 0, at the column's scale (3 decimals)
 * @param unitPrice the net price per unit, at the column's scale (6 decimals)
 * @param taxRate the tax rate in percent, at the column's scale (2 decimals)
 * @param serviceId the price-list entry ({@code agency.services}) the line came from, or {@code null}
 * @param lineTotal quantity times unit price, rounded to the currency's scale ({@link Money#lineTotal})
 */
public record InvoiceItem(UUID id, UUID invoiceId, int position, String description, BigDecimal quantity,
        BigDecimal unitPrice, BigDecimal taxRate, UUID serviceId, BigDecimal lineTotal) {

    /**
     * The line as it is, to change and pass to {@link Invoices#changeItem}.
     *
     * @return the line's values, validated
     */
    public InvoiceItemChange change() {
        return new InvoiceItemChange(description, quantity, unitPrice, taxRate, serviceId);
    }
}
