package dev.sentinel.core.lifecycle;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A finished tenant purge: what {@link TenantPurge#purge} deleted, as recorded in the system trail
 * (action {@code tenant.purge}). Immutable.
 *
 * @param tenantId the purged tenant
 * @param rowsDeleted rows deleted per table, schema-qualified, in the order the purge deleted them,
 *     {@code sentinel.tenants} (its one row) last; the counts of every run of the purge together
 * @param startedAt when the purge first started
 * @param finishedAt when its last transaction committed
 */
public record PurgeReport(UUID tenantId, Map<String, Long> rowsDeleted, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    /**
     * Copies the counts.
     *
     * @param tenantId the purged tenant
     * @param rowsDeleted rows deleted per table
     * @param startedAt when the purge first started
     * @param finishedAt when it finished
     */
    public PurgeReport {
        rowsDeleted = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsDeleted));
    }

    /**
     * The rows deleted in all tables together.
     *
     * @return the sum of {@link #rowsDeleted()}
     */
    public long totalRows() {
        return rowsDeleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
