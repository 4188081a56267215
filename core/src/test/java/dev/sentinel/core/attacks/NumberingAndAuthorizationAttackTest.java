package dev.sentinel.core.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Sql;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack family "numbering and authorization inside one's own tenant" (issue #23, item 3), played
 * with raw SQL as the application role in the attacker's own tenant, with the actor setting of a
 * real member: counters move only through {@code sentinel.next_number}; a member's role, a role
 * grant and the tenant's plan change only for an actor who holds the permission. (An attacker who
 * forges the actor setting is outside what these guards promise: docs/concepts.md.)
 */
class NumberingAndAuthorizationAttackTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID admin;
    private static UUID viewer;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        tenant = Tenants.create(sentinel);
        admin = People.member(sentinel, tenant, "Ann", "admin");
        viewer = People.member(sentinel, tenant, "Vic", "viewer");
        sentinel.tenant(tenant, Actor.user(admin)).useTransaction(tx -> tx.numbering().next("ORD", "2026"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aCounterCannotBeSetInsertedOrDeletedByRawSql() {
        for (String attack : new String[] {
                "update sentinel.number_counters set last_value = 1000 where tenant_id = current_setting('sentinel.tenant_id')::uuid",
                "update sentinel.number_counters set last_value = 0 where tenant_id = current_setting('sentinel.tenant_id')::uuid",
                "insert into sentinel.number_counters (tenant_id, series, period, last_value)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, 'ORD', '2027', 41)",
                "delete from sentinel.number_counters where tenant_id = current_setting('sentinel.tenant_id')::uuid"}) {
            SQLException refused = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                    () -> RawScope.tenant(tenant).rollback(db.appDataSource(), connection -> Sql.update(connection, attack)));
            assertThat(refused.getMessage()).describedAs(attack).contains("number_counters");
        }
    }

    @Test
    void theNumberingPrimitiveStillMovesTheCounterAndTheGuardReadsIt() {
        long next = sentinel.tenant(tenant, Actor.user(admin)).inTransaction(tx -> tx.numbering().next("ORD", "2026"));
        long last = sentinel.tenant(tenant, Actor.user(admin)).inTransaction(tx ->
                tx.dsl().fetchSingle("select sentinel.last_number('ORD', '2026')").get(0, Long.class));

        assertThat(last).isEqualTo(next).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMemberWithoutMemberManageCannotRaiseARoleByRawUpdate() throws SQLException {
        SQLException raised = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> asActor(viewer,
                "update sentinel.tenant_members set role = 'owner' where tenant_id = current_setting('sentinel.tenant_id')::uuid"
                        + " and user_id = '" + viewer + "'"));
        assertThat(raised.getMessage()).contains("member:manage");

        // The role's id read first: Citus runs an INSERT ... SELECT as a COPY, refused under row-level security.
        String admin = RawScope.tenant(tenant).rollback(db.appDataSource(),
                connection -> Sql.strings(connection, "select id::text from sentinel.roles where key = 'admin'").getFirst());
        SQLException granted = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> asActor(viewer,
                "insert into sentinel.tenant_role_assignments (tenant_id, id, user_id, role_id)"
                        + " values (current_setting('sentinel.tenant_id')::uuid, '" + UUID.randomUUID() + "', '" + viewer + "', '"
                        + admin + "')"));
        assertThat(granted.getMessage()).contains("role:assign");
    }

    @Test
    void anAdministratorWithoutTenantPlanCannotChangeThePlanButTheServiceCan() throws SQLException {
        SQLException upgraded = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> asActor(admin,
                "update sentinel.tenants set plan = 'enterprise' where id = current_setting('sentinel.tenant_id')::uuid"));
        assertThat(upgraded.getMessage()).contains("tenant:plan");

        int changed = RawScope.tenant(tenant).rollback(db.appDataSource(), connection -> {
            actAs(connection, "service:billing");
            return Sql.update(connection, "update sentinel.tenants set plan = 'pro' where id = ?", tenant);
        });
        assertThat(changed).describedAs("the service's own work (a service actor holds every permission)").isEqualTo(1);
    }

    @Test
    void anAdministratorStillChangesRolesThroughTheApi() {
        var changed = sentinel.tenant(tenant, Actor.user(admin)).inTransaction(tx ->
                tx.members().changeRole(viewer, dev.sentinel.core.db.enums.MembershipRole.GUEST));
        assertThat(changed.role()).isEqualTo(dev.sentinel.core.db.enums.MembershipRole.GUEST);
    }

    private static int asActor(UUID user, String sql) throws SQLException {
        return RawScope.tenant(tenant).rollback(db.appDataSource(), connection -> {
            actAs(connection, user.toString());
            return Sql.update(connection, sql);
        });
    }

    private static void actAs(Connection connection, String actor) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set local sentinel.actor_id = '" + actor + "'");
        }
    }
}
