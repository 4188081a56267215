package dev.sentinel.core.support;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.SeatType;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates users and members for tests, as a service's onboarding would (service actor, so no permission needed). */
public final class People {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private People() {
    }

    /**
     * Creates a user who belongs to no tenant.
     *
     * @param sentinel the Sentinel to use
     * @param name the display name
     * @return the user's id
     */
    public static UUID user(Sentinel sentinel, String name) {
        String email = "person" + COUNTER.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "@example.com";
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create(email, name).id());
    }

    /**
     * Creates a user and makes them an active member of a tenant.
     *
     * @param sentinel the Sentinel to use
     * @param tenant the tenant
     * @param name the display name
     * @param roleKey a tenant role such as {@code staff}, or null for none
     * @return the user's id
     */
    public static UUID member(Sentinel sentinel, UUID tenant, String name, String roleKey) {
        UUID user = user(sentinel, name);
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, roleKey));
        return user;
    }
}
