package dev.sentinel.core.support;

import static dev.sentinel.core.db.Tables.TENANTS;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates tenants for tests, in the system scope, as a service would. */
public final class Tenants {

    /** The actor tests use for setup. */
    public static final Actor SETUP = Actor.service("test-setup");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Tenants() {
    }

    /**
     * Creates a tenant with a unique slug.
     *
     * @param sentinel the Sentinel to use
     * @return the tenant's id
     */
    public static UUID create(Sentinel sentinel) {
        return sentinel.system(SETUP).inTransaction(tx -> {
            TenantsRecord tenant = new TenantsRecord();
            int n = COUNTER.incrementAndGet();
            tenant.setSlug("tenant-" + n + "-" + Long.toHexString(System.nanoTime()));
            tenant.setName("Tenant " + n);
            return tx.table(TENANTS).insert(tenant).getId();
        });
    }
}
