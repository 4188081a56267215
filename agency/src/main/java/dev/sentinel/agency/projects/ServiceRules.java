package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** The checks that {@link NewService} and {@link ServiceChange} share, mirroring the table's CHECKs. */
final class ServiceRules {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final BigDecimal HUNDRED = new BigDecimal(100);

    private ServiceRules() {
    }

    static void validate(String where, String code, String name, String description, ServiceUnit unit, BigDecimal unitPrice,
            String currency, BigDecimal taxRate) {
        Checks.matches(code, CODE, where, "code", "1 to 32 letters, digits, '_', '.' or '-', starting with a letter or digit");
        Checks.text(name, where, "name", 200);
        Checks.required(unit, where, "unit");
        Checks.required(unitPrice, where, "unit_price");
        Checks.optionalNonNegative(unitPrice, where, "unit_price");
        Checks.required(currency, where, "currency");
        Checks.optionalCurrency(currency, where, "currency");
        Checks.required(taxRate, where, "tax_rate");
        if (taxRate.signum() < 0 || taxRate.compareTo(HUNDRED) > 0) {
            throw new InvalidInputException(where + ": tax_rate " + taxRate.toPlainString() + " is outside 0..100 (percent)");
        }
        if (description != null && description.length() > 10_000) {
            throw new InvalidInputException(where + ": description is longer than 10000 characters");
        }
    }
}
