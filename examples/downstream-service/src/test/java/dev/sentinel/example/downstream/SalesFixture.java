package dev.sentinel.example.downstream;

import static dev.sentinel.core.db.Tables.TENANTS;
import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.USERS;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.db.tables.records.UsersRecord;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Tenants and members for the tests, made in the system scope as an onboarding step of the service would. */
final class SalesFixture {

    /** The actor of the setup steps. */
    static final Actor ONBOARDING = Actor.service("onboarding");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private SalesFixture() {
    }

    /**
     * Creates a tenant.
     *
     * @param sentinel the service's Sentinel
     * @return the tenant's id
     */
    static UUID tenant(Sentinel sentinel) {
        int n = COUNTER.incrementAndGet();
        return sentinel.system(ONBOARDING).inTransaction(tx -> tx.table(TENANTS)
                .insert(new TenantsRecord().setSlug("agency-" + n).setName("Agency " + n))
                .getId());
    }

    /**
     * Creates a user who is a member of the tenant.
     *
     * @param sentinel the service's Sentinel
     * @param tenantId the tenant
     * @return the user's id
     */
    static UUID member(Sentinel sentinel, UUID tenantId) {
        int n = COUNTER.incrementAndGet();
        return sentinel.system(ONBOARDING).inTransaction(tx -> {
            UUID userId = tx.table(USERS).insert(new UsersRecord().setEmail("member-" + n + "@example.com")).getId();
            tx.dsl().insertInto(TENANT_MEMBERS)
                    .set(TENANT_MEMBERS.TENANT_ID, tenantId)
                    .set(TENANT_MEMBERS.USER_ID, userId)
                    .execute();
            return userId;
        });
    }
}
