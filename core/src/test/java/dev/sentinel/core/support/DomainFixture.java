package dev.sentinel.core.support;

import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.USERS;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.tables.records.TenantMembersRecord;
import dev.sentinel.core.db.tables.records.UsersRecord;
import java.util.List;
import java.util.UUID;

/** Users, memberships and audit reads for the domain repositories' tests. */
public final class DomainFixture {

    private DomainFixture() {
    }

    /**
     * Creates a user (system scope) without any membership.
     *
     * @param sentinel the Sentinel to use
     * @return the user's id
     */
    public static UUID user(Sentinel sentinel) {
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.table(USERS).insert(new UsersRecord()
                .setEmail("user-" + UUID.randomUUID() + "@example.com").setDisplayName("Test user")).getId());
    }

    /**
     * Creates a user and makes them a member of a tenant, with no role assigned.
     *
     * @param sentinel the Sentinel to use
     * @param tenant the tenant
     * @return the user's id
     */
    public static UUID member(Sentinel sentinel, UUID tenant) {
        UUID user = user(sentinel);
        sentinel.system(Tenants.SETUP).useTransaction(tx ->
                tx.table(TENANT_MEMBERS).insert(new TenantMembersRecord().setTenantId(tenant).setUserId(user)));
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
}
