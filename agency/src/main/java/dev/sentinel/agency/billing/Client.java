package dev.sentinel.agency.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer of the tenant, as stored.
 *
 * @param id the id
 * @param details name, address, tax id, currency, notes
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param deletedAt when it was soft-deleted, or {@code null} while live
 */
public record Client(UUID id, ClientDetails details, Instant createdAt, Instant updatedAt, Instant deletedAt) {
}
