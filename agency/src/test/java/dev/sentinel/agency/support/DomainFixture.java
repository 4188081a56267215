package dev.sentinel.agency.support;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.support.Tenants;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Users, memberships with a default role, and audit reads for the domain repositories' tests. */
public final class DomainFixture {

    private static final AtomicInteger USERS = new AtomicInteger();

    private DomainFixture() {
    }

    /**
     * Creates a user (system scope) without any membership.
     *
     * @param sentinel the Sentinel to use
     * @return the user's id
     */
    public static UUID user(Sentinel sentinel) {
        String email = "user" + USERS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "@example.com";
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create(email, "Test user").id());
    }

    /**
     * Creates a user and makes them an active member of a tenant.
     *
     * @param sentinel the Sentinel to use
     * @param tenant the tenant
     * @param roleKey a default role ({@code admin}, {@code staff}, {@code viewer}), or {@code null} for none
     * @return the user's id
     */
    public static UUID member(Sentinel sentinel, UUID tenant, String roleKey) {
        UUID user = user(sentinel);
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, roleKey));
        return user;
    }

    /**
     * The audit entries of one row, newest first.
     *
     * @param sentinel the Sentinel to use
     * @param tenant the row's tenant
     * @param table the table's name as the trail records it, such as {@code leads}
     * @param id the row's id
     * @return the entries
     */
    public static List<AuditEntry> audit(Sentinel sentinel, UUID tenant, String table, UUID id) {
        return sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity(table, id), 100).entries());
    }

    /**
     * How many audit entries a tenant has (up to 1000), to show that a refused operation wrote nothing.
     *
     * @param sentinel the Sentinel to use
     * @param tenant the tenant
     * @return the number of entries
     */
    public static int auditCount(Sentinel sentinel, UUID tenant) {
        return sentinel.tenant(tenant, Tenants.SETUP).inTransaction(tx ->
                tx.audit().list(AuditFilter.all(), 1000).entries().size());
    }
}
