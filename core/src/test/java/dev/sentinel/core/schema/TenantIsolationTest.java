package dev.sentinel.core.schema;

import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.TENANT_ROLE_ASSIGNMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.core.support.TenantIsolationChecks;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TenantIsolationChecks} on the kernel's schema {@code sentinel} (the agency's tables are the
 * agency's {@code dev.sentinel.agency.schema.TenantIsolationTest}), and a role grant across tenants.
 */
class TenantIsolationTest extends TenantIsolationChecks<TenantRows> {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    TenantIsolationTest() {
        super(db, Catalog.KERNEL, SchemaFixture::insertTenant);
    }

    @Override
    protected List<String> expectedTenantTables() {
        return List.of("tenants", "tenant_members", "api_keys", "refresh_tokens", "tenant_role_assignments",
                "audit_log", "audit_chain", "audit_checkpoint", "audit_personal_values", "jobs", "job_tenant_queues",
                "job_schedules", "number_counters");
    }

    @Override
    protected List<String> expectedCrossTenantKeys() {
        return List.of("refresh_tokens_member_fkey", "tenant_role_assignments_member_fkey");
    }

    /** AuditLogAppendOnlyTest covers the trails; the application role may not delete erasable values (ErasureTest). */
    @Override
    protected Set<String> appendOnlyTables() {
        return Set.of("audit_log", "audit_chain", "audit_checkpoint", "audit_personal_values");
    }

    /**
     * Counters move only through sentinel.next_number (NumberingAndAuthorizationAttackTest). On a Citus
     * coordinator that function runs as its caller, so the application role may write counters there,
     * under their policy and V22's guard, and a counter of another tenant is refused by the policy.
     */
    @Override
    protected Set<String> unwritableTables() {
        return citus() ? Set.of() : Set.of("number_counters");
    }

    @Test
    void aTenantCannotGrantARoleToAnotherTenantsMember() throws SQLException {
        SQLException error = Sql.expectFailure(Sql.FOREIGN_KEY_VIOLATION, () -> RawScope.tenant(a.tenantId()).rollback(app(),
                c -> DSL.using(c, SQLDialect.POSTGRES).insertInto(TENANT_ROLE_ASSIGNMENTS)
                        .set(TENANT_ROLE_ASSIGNMENTS.TENANT_ID, a.tenantId())
                        .set(TENANT_ROLE_ASSIGNMENTS.ID, UUID.randomUUID())
                        .set(TENANT_ROLE_ASSIGNMENTS.USER_ID, b.memberId())
                        .set(TENANT_ROLE_ASSIGNMENTS.ROLE_ID, globals.tenantRoleId())
                        .execute()));
        assertThat(error.getMessage()).contains("tenant_role_assignments_member_fkey");

        int toOwnMember = RawScope.tenant(a.tenantId()).rollback(app(), c -> DSL.using(c, SQLDialect.POSTGRES)
                .insertInto(TENANT_ROLE_ASSIGNMENTS)
                .set(TENANT_ROLE_ASSIGNMENTS.TENANT_ID, a.tenantId())
                .set(TENANT_ROLE_ASSIGNMENTS.ID, UUID.randomUUID())
                .set(TENANT_ROLE_ASSIGNMENTS.USER_ID, a.memberId())
                .set(TENANT_ROLE_ASSIGNMENTS.ROLE_ID, globals.tenantRoleId())
                .execute());
        assertThat(toOwnMember).describedAs("the same grant to A's own member").isEqualTo(1);
        int foreignMembers = RawScope.tenant(a.tenantId()).rollback(app(), c -> DSL.using(c, SQLDialect.POSTGRES)
                .fetchCount(TENANT_MEMBERS, TENANT_MEMBERS.USER_ID.eq(b.memberId())));
        assertThat(foreignMembers).describedAs("B's member, seen from A").isZero();
    }
}
