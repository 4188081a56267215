package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * A line to add to a draft with {@link Invoices#addItem(java.util.UUID, NewInvoiceItem)}. Validated
 * when made; values are kept exactly as given, never rounded: a value with more decimals than its
 * column holds is refused, not cut. Immutable and thread-safe; each {@code with...} method returns
 * a validated copy.
 *
 * <pre>{@code
 * tx.attach(Invoices.class).addItem(draft.id(), NewInvoiceItem.of("Design work", new BigDecimal("12.5"), new BigDecimal("95.00"))
 *         .withTaxRate(new BigDecimal("19")));
 * }</pre>
 *
 * @param description the text of the line, 1 to 2000 characters, not blank
 * @param quantity greater than 0, at most 3 decimals and 9 integer digits
 * @param unitPrice the net price per unit, at most 6 decimals and 12 integer digits; negative for a discount
 * @param taxRate the tax rate in percent, 0 to 100, at most 2 decimals; default 0
 * @param serviceId the price-list entry ({@code agency.services}) the line came from, or {@code null}
 */
public record NewInvoiceItem(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal taxRate, UUID serviceId) {

    /**
     * Validates the line.
     *
     * @throws InvalidInputException naming the value that does not fit and why
     */
    public NewInvoiceItem {
        InvoiceItemRules.validate(description, quantity, unitPrice, taxRate);
    }

    /**
     * A line without tax and without a price-list entry.
     *
     * @param description the text of the line
     * @param quantity greater than 0
     * @param unitPrice the net price per unit
     * @return the details
     * @throws InvalidInputException if a value does not fit
     */
    public static NewInvoiceItem of(String description, BigDecimal quantity, BigDecimal unitPrice) {
        return new NewInvoiceItem(description, quantity, unitPrice, BigDecimal.ZERO, null);
    }

    /**
     * Sets the tax rate.
     *
     * @param percent 0 to 100, at most 2 decimals, such as {@code 19} or {@code 7.7}
     * @return a validated copy
     */
    public NewInvoiceItem withTaxRate(BigDecimal percent) {
        return new NewInvoiceItem(description, quantity, unitPrice, percent, serviceId);
    }

    /**
     * Sets the price-list entry the line came from.
     *
     * @param id a service of the tenant, or {@code null}
     * @return a copy
     */
    public NewInvoiceItem withService(UUID id) {
        return new NewInvoiceItem(description, quantity, unitPrice, taxRate, id);
    }

    /**
     * Sets the quantity.
     *
     * @param value greater than 0
     * @return a validated copy
     */
    public NewInvoiceItem withQuantity(BigDecimal value) {
        return new NewInvoiceItem(description, value, unitPrice, taxRate, serviceId);
    }

    /**
     * Sets the unit price.
     *
     * @param value the net price per unit
     * @return a validated copy
     */
    public NewInvoiceItem withUnitPrice(BigDecimal value) {
        return new NewInvoiceItem(description, quantity, value, taxRate, serviceId);
    }
}
