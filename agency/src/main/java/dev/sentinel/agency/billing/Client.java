package dev.sentinel.agency.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer of the tenant, as stored. Immutable and thread-safe.
 *
 * @param id the id
 * @param name 1 to 200 characters
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
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 */
public record Client(UUID id, String name, String billingEmail, String addressLine1, String addressLine2,
        String postalCode, String city, String region, String countryCode, String taxId, String currency, String notes,
        Instant createdAt, Instant updatedAt, Instant deletedAt) {

    /**
     * The client's details as they are, to change and pass to {@link Clients#update}.
     *
     * @return the details, validated
     */
    public ClientChange change() {
        return new ClientChange(name, billingEmail, addressLine1, addressLine2, postalCode, city, region, countryCode, taxId,
                currency, notes);
    }
}
