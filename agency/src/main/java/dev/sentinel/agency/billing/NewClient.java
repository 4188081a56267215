package dev.sentinel.agency.billing;

import dev.sentinel.core.InvalidInputException;

/**
 * A client to create with {@link Clients#create}: what the tenant knows about it. Validated
 * when made; the database checks the same rules. Immutable and thread-safe; each {@code with...}
 * method returns a validated copy.
 *
 * <pre>{@code
 * Client acme = tx.attach(Clients.class).create(NewClient.of("Acme GmbH")
 *         .withBillingEmail("billing@acme.example").withCountryCode("DE").withCurrency("EUR"));
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
public record NewClient(String name, String billingEmail, String addressLine1, String addressLine2, String postalCode,
        String city, String region, String countryCode, String taxId, String currency, String notes) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewClient {
        ClientRules.validate(name, billingEmail, countryCode, currency);
    }

    /**
     * A client with a name and nothing else.
     *
     * @param name 1 to 200 characters
     * @return the details
     */
    public static NewClient of(String name) {
        return new NewClient(name, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Sets the name.
     *
     * @param value 1 to 200 characters
     * @return a validated copy
     */
    public NewClient withName(String value) {
        return new NewClient(value, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, currency, notes);
    }

    /**
     * Sets the billing e-mail address.
     *
     * @param value an address, or {@code null}
     * @return a validated copy
     */
    public NewClient withBillingEmail(String value) {
        return new NewClient(name, value, addressLine1, addressLine2, postalCode, city, region, countryCode,
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
    public NewClient withAddress(String line1, String line2, String postalCode, String city, String region,
            String countryCode) {
        return new NewClient(name, billingEmail, line1, line2, postalCode, city, region, countryCode, taxId,
                currency, notes);
    }

    /**
     * Sets the country.
     *
     * @param value ISO 3166-1 alpha-2 such as {@code DE}, or {@code null}
     * @return a validated copy
     */
    public NewClient withCountryCode(String value) {
        return new NewClient(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, value,
                taxId, currency, notes);
    }

    /**
     * Sets the tax or VAT number.
     *
     * @param value as printed on invoices, or {@code null}
     * @return a copy
     */
    public NewClient withTaxId(String value) {
        return new NewClient(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                value, currency, notes);
    }

    /**
     * Sets the default currency of the client's invoices.
     *
     * @param value an ISO 4217 code, or {@code null}
     * @return a validated copy
     */
    public NewClient withCurrency(String value) {
        return new NewClient(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, value, notes);
    }

    /**
     * Sets the notes.
     *
     * @param value free text, or {@code null}
     * @return a copy
     */
    public NewClient withNotes(String value) {
        return new NewClient(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode,
                taxId, currency, value);
    }
}
