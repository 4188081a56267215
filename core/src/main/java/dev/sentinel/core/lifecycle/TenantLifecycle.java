package dev.sentinel.core.lifecycle;

import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Tx;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.Record;

/**
 * Closes and reopens tenants, the first step of offboarding. A closed tenant's tenant-scope
 * transactions are read-only, kept so by the database (every transaction's first round trip asks
 * {@code sentinel.pin_closed_tenant}, which turns the transaction read-only): reads go on, any
 * write, raw SQL through {@code tx.dsl()} included, is {@link dev.sentinel.core.TenantClosedException}.
 * After the grace period the owner's {@link TenantPurge} may delete the tenant. A tenant may be
 * reopened until its purge starts.
 *
 * <p>Both calls need a system-scope transaction ({@code sentinel.system(actor)}); the database
 * refuses the change in any other scope too. The change is audited like any update of the tenants
 * row. Stateless and thread-safe.
 */
public final class TenantLifecycle {

    private static final String CLOSE = "update sentinel.tenants set closed_at = now(), purge_after = now() + ?::interval"
            + " where id = ? and closed_at is null returning closed_at, purge_after";
    private static final String REOPEN = "update sentinel.tenants set closed_at = null, purge_after = null"
            + " where id = ? and closed_at is not null returning id";
    private static final String STATE = "select closed_at, purge_after from sentinel.tenants where id = ?";

    /** The lifecycle guard's refusal to reopen a tenant whose purge started (object_not_in_prerequisite_state). */
    private static final String PURGE_STARTED = "55000";

    private TenantLifecycle() {
    }

    /**
     * Closes a tenant: from this transaction's commit on, its tenant-scope transactions may read
     * but not write, and after {@code gracePeriod} its purge may start.
     *
     * @param tx a system-scope transaction
     * @param tenantId the tenant to close
     * @param gracePeriod how long the tenant stays readable before it may be purged; zero or more
     * @return the closed tenant, with its closing time and the end of its grace period
     * @throws PermissionDeniedException outside the system scope
     * @throws InvalidInputException for a null tenant or a null or negative grace period
     * @throws NotFoundException when no such tenant exists
     * @throws InvalidStateTransitionException when the tenant is closed already (the message says since when)
     */
    public static ClosedTenant close(Tx tx, UUID tenantId, Duration gracePeriod) {
        requireSystemScope(tx, "close");
        requireTenant(tenantId);
        if (gracePeriod == null || gracePeriod.isNegative()) {
            throw new InvalidInputException("TenantLifecycle.close: gracePeriod must be zero or more, was " + gracePeriod
                    + "; nothing was written");
        }
        String interval = gracePeriod.toSeconds() + " seconds " + gracePeriod.toNanosPart() / 1_000 + " microseconds";
        Record closed = tx.dsl().fetchOptional(CLOSE, interval, tenantId).orElse(null);
        if (closed == null) {
            Record state = state(tx, tenantId, "close");
            throw new InvalidStateTransitionException("Tenant " + tenantId + " is closed already, since "
                    + state.get(0, OffsetDateTime.class) + " (purge after " + state.get(1, OffsetDateTime.class)
                    + "); nothing was written");
        }
        return new ClosedTenant(tenantId, closed.get(0, OffsetDateTime.class), closed.get(1, OffsetDateTime.class));
    }

    /**
     * Reopens a closed tenant whose purge has not started: its transactions may write again from
     * this transaction's commit on.
     *
     * @param tx a system-scope transaction
     * @param tenantId the tenant to reopen
     * @throws PermissionDeniedException outside the system scope
     * @throws InvalidInputException for a null tenant
     * @throws NotFoundException when no such tenant exists
     * @throws InvalidStateTransitionException when the tenant is open, or its purge has started
     */
    public static void reopen(Tx tx, UUID tenantId) {
        requireSystemScope(tx, "reopen");
        requireTenant(tenantId);
        boolean reopened;
        try {
            reopened = tx.dsl().fetchOptional(REOPEN, tenantId).isPresent();
        } catch (DatabaseException e) {
            if (PURGE_STARTED.equals(e.sqlState())) {
                throw new InvalidStateTransitionException("Tenant " + tenantId + " cannot be reopened: its purge has"
                        + " started, and part of its rows may be gone; run TenantPurge again to finish it. Nothing was"
                        + " written", e);
            }
            throw e;
        }
        if (!reopened) {
            state(tx, tenantId, "reopen");
            throw new InvalidStateTransitionException("Tenant " + tenantId + " is open; only a closed tenant can be"
                    + " reopened. Nothing was written");
        }
    }

    private static Record state(Tx tx, UUID tenantId, String operation) {
        return tx.dsl().fetchOptional(STATE, tenantId).orElseThrow(() -> new NotFoundException("TenantLifecycle."
                + operation + ": no tenant " + tenantId + "; nothing was written"));
    }

    private static void requireSystemScope(Tx tx, String operation) {
        if (tx == null) {
            throw new InvalidInputException("TenantLifecycle." + operation + ": tx is null");
        }
        if (!tx.isSystemScope()) {
            throw new PermissionDeniedException("TenantLifecycle." + operation + " needs the system scope: call it in"
                    + " sentinel.system(actor).useTransaction(tx -> ...); a tenant does not close or reopen itself."
                    + " Nothing was written");
        }
    }

    private static void requireTenant(UUID tenantId) {
        if (tenantId == null) {
            throw new InvalidInputException("TenantLifecycle: tenantId is null");
        }
    }
}
