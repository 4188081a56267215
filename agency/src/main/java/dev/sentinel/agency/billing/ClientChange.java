package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;

/**
 * The new details of a client for {@link Clients#update}, which replaces every one of them:
 * start from {@link Client#change()} (the client's details as they are) and change what differs.
 * Validated when made; the database checks the same rules. Immutable and thread-safe; each
 * {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * Client moved = tx.attach(Clients.class).update(acme.id(), acme.change().withBillingEmail("ap@acme.example"));
 * }</pre>
 *
 * @param name 1 to 200 characters, not blank
 * @param billingEmail where invoices are sent, or {@code null}
 * @param addressLine1 first address line, or {@code null}
 * @param addressLine2 second address line, or {@code null}
 * @param postalCode postal code, or {@code null}
 * @param city city, or {@code null}
 * @param region region or state, or {@code null}
 * @param countryCode ISO 3166-1 alpha-2, upper case, or {@code null}
 * @param taxId the client's tax or VAT number as printed on invoices, or {@code null}
 * @param currency the default ISO 4217 currency of the client's invoices, or {@code null}
 * @param notes free text, or {@code null}
 */
public record ClientChange(String name, String billingEmail, String addressLine1, String addressLine2, String postalCode,
        String city, String region, String countryCode, String taxId, String currency, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public ClientChange {
        ClientRules.validate(name, billingEmail, countryCode, currency);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public ClientChange withName(String value) {
        return new ClientChange(value, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, currency, notes);
    }

    /**
     * Sets the billing e-mail address.
     *
     * @param value an address, or {@code null}
     * @return a validated copy
     */
    public ClientChange withBillingEmail(String value) {
        return new ClientChange(name, value, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, currency, notes);
    }

    /**
     * Sets the postal address.
     *
     * @param line1 first line, or {@code null}
     * @param line2 second line, or {@code null}
     * @param postalCode postal code, or {@code null}
     * @param city city, or {@code null}
     * @param region region, or {@code null}
     * @param countryCode ISO 3166-1 alpha-2, or {@code null}
     * @return a validated copy
     */
    public ClientChange withAddress(String line1, String line2, String postalCode, String city, String region,
            String countryCode) {
        return new ClientChange(name, billingEmail, line1, line2, postalCode, city, region, countryCode, taxId,
                currency, notes);
    }

    /**
     * Sets the country.
     *
     * @param value ISO 3166-1 alpha-2 such as {@code DE}, or {@code null}
     * @return a validated copy
     */
    public ClientChange withCountryCode(String value) {
        return new ClientChange(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, value,
                taxId, currency, notes);
    }

    /**
     * Sets the tax or VAT number.
     *
     * @param value as printed on invoices, or {@code null}
     * @return a copy
     */
    public ClientChange withTaxId(String value) {
        return new ClientChange(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                value, currency, notes);
    }

    /**
     * Sets the default currency of the client's invoices.
     *
     * @param value an ISO 4217 code, or {@code null}
     * @return a validated copy
     */
    public ClientChange withCurrency(String value) {
        return new ClientChange(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, value, notes);
    }

    /**
     * Sets the notes.
     *
     * @param value free text, or {@code null}
     * @return a copy
     */
    public ClientChange withNotes(String value) {
        return new ClientChange(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, currency, value);
    }
}
