package dev.sentinel.core;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A write in a tenant scope of a closed tenant (see {@code dev.sentinel.core.lifecycle.TenantLifecycle}):
 * its transactions are read-only from the moment it was closed, kept so by the database, so reads
 * still work until the tenant is purged. The transaction was rolled back; nothing was written.
 */
public class TenantClosedException extends SentinelException {
    private static final long serialVersionUID = 1L;

    private final UUID tenantId;
    private final OffsetDateTime closedAt;

    /**
     * Creates the exception.
     *
     * @param tenantId the closed tenant
     * @param closedAt when it was closed
     * @param cause the driver's error (SQLSTATE 25006, a write in a read-only transaction)
     */
    public TenantClosedException(UUID tenantId, OffsetDateTime closedAt, Throwable cause) {
        super("Tenant " + tenantId + " is closed since " + (closedAt == null ? "an unknown time" : closedAt.toInstant()) + ": its transactions may read but not write,"
                + " and nothing was written. Reopen it in the system scope (TenantLifecycle.reopen) if it was closed by"
                + " mistake, before its purge starts", cause);
        this.tenantId = tenantId;
        this.closedAt = closedAt;
    }

    /**
     * The closed tenant.
     *
     * @return its id
     */
    public UUID tenantId() {
        return tenantId;
    }

    /**
     * When the tenant was closed.
     *
     * @return the closing time, as the database recorded it
     */
    public OffsetDateTime closedAt() {
        return closedAt;
    }
}
