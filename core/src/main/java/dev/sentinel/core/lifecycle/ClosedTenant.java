package dev.sentinel.core.lifecycle;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A closed tenant, as {@link TenantLifecycle#close} left it. Immutable.
 *
 * @param tenantId the tenant
 * @param closedAt when it was closed (the closing transaction's time)
 * @param purgeAfter when its grace period ends: {@link TenantPurge} refuses to start before
 */
public record ClosedTenant(UUID tenantId, OffsetDateTime closedAt, OffsetDateTime purgeAfter) {
}
