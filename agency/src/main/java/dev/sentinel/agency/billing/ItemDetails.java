package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * What a line of a draft says. Validated when made; values are kept exactly as given, never
 * rounded: a value with more decimals than its column holds is refused, not cut.
 *
 * <pre>{@code
 * tx.attach(Invoices.class).addItem(draft.id(), ItemDetails.of("Design work", new BigDecimal("12.5"), new BigDecimal("95.00"))
 *         .withTaxRate(new BigDecimal("19")));
 * }</pre>
 *
 * @param description the text of the line, 1 to 2000 characters, not blank
 * @param quantity greater than 0, at most 3 decimals and 9 integer digits
 * @param unitPrice the net price per unit, at most 6 decimals and 12 integer digits; negative for a discount
 * @param taxRate the tax rate in percent, 0 to 100, at most 2 decimals; default 0
 * @param serviceId the price-list entry ({@code agency.services}) the line came from, or {@code null}
 */
public record ItemDetails(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal taxRate, UUID serviceId) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * Validates the line.
     *
     * @throws InvalidInputException naming the value that does not fit and why
     */
    public ItemDetails {
        if (description == null || description.isBlank() || description.length() > 2000) {
            throw new InvalidInputException("item: the description must be 1 to 2000 characters and not blank");
        }
        if (quantity == null || quantity.signum() <= 0) {
            throw new InvalidInputException("item: the quantity must be greater than 0, not " + quantity
                    + "; credit a line with a credit note, or use a negative unit price for a discount");
        }
        requireFits("quantity", quantity, 9, 3);
        if (unitPrice == null) {
            throw new InvalidInputException("item: the unit price is missing; use 0 for a free line");
        }
        requireFits("unit price", unitPrice, 12, 6);
        if (taxRate == null || taxRate.signum() < 0 || taxRate.compareTo(HUNDRED) > 0) {
            throw new InvalidInputException("item: the tax rate must be between 0 and 100 percent, not " + taxRate);
        }
        requireFits("tax rate", taxRate, 3, 2);
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
    public static ItemDetails of(String description, BigDecimal quantity, BigDecimal unitPrice) {
        return new ItemDetails(description, quantity, unitPrice, BigDecimal.ZERO, null);
    }

    /**
     * Sets the tax rate.
     *
     * @param percent 0 to 100, at most 2 decimals, such as {@code 19} or {@code 7.7}
     * @return a validated copy
     */
    public ItemDetails withTaxRate(BigDecimal percent) {
        return new ItemDetails(description, quantity, unitPrice, percent, serviceId);
    }

    /**
     * Sets the price-list entry the line came from.
     *
     * @param id a service of the tenant, or {@code null}
     * @return a copy
     */
    public ItemDetails withService(UUID id) {
        return new ItemDetails(description, quantity, unitPrice, taxRate, id);
    }

    /**
     * Sets the quantity.
     *
     * @param value greater than 0
     * @return a validated copy
     */
    public ItemDetails withQuantity(BigDecimal value) {
        return new ItemDetails(description, value, unitPrice, taxRate, serviceId);
    }

    /**
     * Sets the unit price.
     *
     * @param value the net price per unit
     * @return a validated copy
     */
    public ItemDetails withUnitPrice(BigDecimal value) {
        return new ItemDetails(description, quantity, value, taxRate, serviceId);
    }

    static void requireFits(String what, BigDecimal value, int integerDigits, int decimals) {
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() > decimals) {
            throw new InvalidInputException("item: the " + what + " " + value.toPlainString() + " has more than " + decimals
                    + " decimals; amounts are stored exactly, so round it yourself first if that is what you mean");
        }
        if (plain.precision() - plain.scale() > integerDigits) {
            throw new InvalidInputException("item: the " + what + " " + value.toPlainString() + " has more than "
                    + integerDigits + " integer digits");
        }
    }
}
