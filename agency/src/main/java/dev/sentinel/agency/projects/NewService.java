package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;

/**
 * A service to add to the price list with {@link PriceList#create}, active. Validated when made; the
 * database checks the same rules. Immutable and thread-safe; each {@code with...} method returns a
 * validated copy.
 *
 * <pre>{@code
 * Service design = tx.attach(Projects.class).priceList().create(
 *         NewService.of("DESIGN", "Design", new BigDecimal("120.00"), "EUR").withTaxRate(new BigDecimal("19")));
 * }</pre>
 *
 * @param code 1 to 32 letters, digits, {@code _}, {@code .} or {@code -}, starting with a letter or
 *     digit; unique among the tenant's live services
 * @param name 1 to 200 characters, not blank
 * @param description up to 10,000 characters, or {@code null}
 * @param unit what one unit is (hour, day, item, month)
 * @param unitPrice the price of one unit, at least 0
 * @param currency ISO 4217, such as {@code EUR}
 * @param taxRate the tax rate in percent, 0 to 100
 */
public record NewService(String code, String name, String description, ServiceUnit unit, BigDecimal unitPrice, String currency,
        BigDecimal taxRate) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewService {
        ServiceRules.validate("NewService", code, name, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * A service billed by the hour, without tax or description.
     *
     * @param code the code
     * @param name the name
     * @param unitPrice the price of an hour
     * @param currency the currency
     * @return the details
     */
    public static NewService of(String code, String name, BigDecimal unitPrice, String currency) {
        return new NewService(code, name, null, ServiceUnit.HOUR, unitPrice, currency, BigDecimal.ZERO);
    }

    /**
     * Sets the code.
     *
     * @param value the code
     * @return a validated copy
     */
    public NewService withCode(String value) {
        return new NewService(value, name, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public NewService withName(String value) {
        return new NewService(code, value, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the description.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public NewService withDescription(String value) {
        return new NewService(code, name, value, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the unit.
     *
     * @param value the unit
     * @return a validated copy
     */
    public NewService withUnit(ServiceUnit value) {
        return new NewService(code, name, description, value, unitPrice, currency, taxRate);
    }

    /**
     * Sets the price of one unit.
     *
     * @param value at least 0
     * @return a validated copy
     */
    public NewService withUnitPrice(BigDecimal value) {
        return new NewService(code, name, description, unit, value, currency, taxRate);
    }

    /**
     * Sets the currency.
     *
     * @param value ISO 4217
     * @return a validated copy
     */
    public NewService withCurrency(String value) {
        return new NewService(code, name, description, unit, unitPrice, value, taxRate);
    }

    /**
     * Sets the tax rate.
     *
     * @param value in percent, 0 to 100
     * @return a validated copy
     */
    public NewService withTaxRate(BigDecimal value) {
        return new NewService(code, name, description, unit, unitPrice, currency, value);
    }
}
