package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;

/**
 * The new details of a service for {@link PriceList#update}, which replaces every one of them: start
 * from {@link Service#change()} (the details as they are) and change what differs. Booked time keeps the
 * rate it was booked at. Validated when made; the database checks the same rules. Immutable and
 * thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Service repriced = priceList.update(design.id(), design.change().withUnitPrice(new BigDecimal("130.00")));
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
public record ServiceChange(String code, String name, String description, ServiceUnit unit, BigDecimal unitPrice, String currency,
        BigDecimal taxRate) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public ServiceChange {
        ServiceRules.validate("ServiceChange", code, name, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the code.
     *
     * @param value the code
     * @return a validated copy
     */
    public ServiceChange withCode(String value) {
        return new ServiceChange(value, name, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public ServiceChange withName(String value) {
        return new ServiceChange(code, value, description, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the description.
     *
     * @param value up to 10,000 characters, or {@code null}
     * @return a validated copy
     */
    public ServiceChange withDescription(String value) {
        return new ServiceChange(code, name, value, unit, unitPrice, currency, taxRate);
    }

    /**
     * Sets the unit.
     *
     * @param value the unit
     * @return a validated copy
     */
    public ServiceChange withUnit(ServiceUnit value) {
        return new ServiceChange(code, name, description, value, unitPrice, currency, taxRate);
    }

    /**
     * Sets the price of one unit.
     *
     * @param value at least 0
     * @return a validated copy
     */
    public ServiceChange withUnitPrice(BigDecimal value) {
        return new ServiceChange(code, name, description, unit, value, currency, taxRate);
    }

    /**
     * Sets the currency.
     *
     * @param value ISO 4217
     * @return a validated copy
     */
    public ServiceChange withCurrency(String value) {
        return new ServiceChange(code, name, description, unit, unitPrice, value, taxRate);
    }

    /**
     * Sets the tax rate.
     *
     * @param value in percent, 0 to 100
     * @return a validated copy
     */
    public ServiceChange withTaxRate(BigDecimal value) {
        return new ServiceChange(code, name, description, unit, unitPrice, currency, value);
    }
}
