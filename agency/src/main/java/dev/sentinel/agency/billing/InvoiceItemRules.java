package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;

/** The checks that {@link NewInvoiceItem} and {@link InvoiceItemChange} share, mirroring the table's CHECKs. */
final class InvoiceItemRules {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private InvoiceItemRules() {
    }

    static void validate(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal taxRate) {
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

    private static void requireFits(String what, BigDecimal value, int integerDigits, int decimals) {
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
