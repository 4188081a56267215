package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ServiceUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A service on the tenant's price list, as stored. Immutable and thread-safe.
 *
 * @param id the id
 * @param code unique among the tenant's live services
 * @param name 1 to 200 characters
 * @param description free text, or {@code null}
 * @param unit what one unit is
 * @param unitPrice the price of one unit
 * @param currency ISO 4217
 * @param taxRate the tax rate in percent
 * @param active whether new time can be booked as it
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 */
public record Service(UUID id, String code, String name, String description, ServiceUnit unit, BigDecimal unitPrice,
        String currency, BigDecimal taxRate, boolean active, Instant createdAt, Instant updatedAt, Instant deletedAt) {

    /**
     * The service's details as they are, to change and pass to {@link PriceList#update}.
     *
     * @return the details, validated
     */
    public ServiceChange change() {
        return new ServiceChange(code, name, description, unit, unitPrice, currency, taxRate);
    }
}
