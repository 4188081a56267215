package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Global tables hold no tenant rows, and row-level security decides who sees them: a tenant sees a
 * user only while the user is its member; security tables are for the system scope alone; the RBAC
 * definitions are readable by every scope but written only in the system scope.
 */
class GlobalTablesRowSecurityTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    /** Only the system scope reads or writes these. */
    private static final List<String> SYSTEM_ONLY = List.of(
            "account_lockouts", "auth_attempts", "global_api_keys", "secret_key_checks", "system_audit_log",
            "system_audit_personal_values");

    /**
     * Every scope reads these; only the system scope writes them. Global role assignments count in
     * every tenant, so the check must see them there; resource types are read by every grant narrowed
     * to a resource (the test service registers {@code widget}).
     */
    private static final List<String> READABLE = List.of("global_role_assignments", "permissions", "resource_types",
            "role_permissions", "roles");

    /** Every scope reads these; only migrations write them (the application role holds no write privilege). */
    private static final List<String> MIGRATIONS_ONLY = List.of("table_placements");

    /** The owner's alone: the tenant purge's state, which no runtime role reads or writes. */
    private static final List<String> OWNER_ONLY = List.of("tenant_purges", "tenant_purge_tables");

    private static Globals globals;
    private static TenantRows a;
    private static TenantRows b;

    @BeforeAll
    static void insertTwoTenants() throws SQLException {
        globals = SchemaFixture.insertGlobals(db.systemDataSource());
        a = SchemaFixture.insertTenant(db.systemDataSource(), "tenant-a", globals);
        b = SchemaFixture.insertTenant(db.systemDataSource(), "tenant-b", globals);
    }

    @Test
    void everyGlobalTableFollowsOneOfTheRulesTestedHere() throws SQLException {
        Set<String> covered = new HashSet<>(SYSTEM_ONLY);
        covered.addAll(READABLE);
        covered.addAll(MIGRATIONS_ONLY);
        covered.addAll(OWNER_ONLY);
        covered.add("users");
        try (Connection connection = app().getConnection()) {
            assertThat(Catalog.globalTables(connection, Catalog.KERNEL)).containsExactlyInAnyOrderElementsOf(covered);
        }
    }

    @Test
    void aTenantSeesExactlyTheUsersWhoAreItsMembers() throws SQLException {
        long all = RawScope.system().count(system(), "select count(*) from sentinel.users");
        assertThat(all).describedAs("users in the system scope: shared, lone, operator and two per tenant").isEqualTo(7);

        long unscoped = RawScope.none().count(app(), "select count(*) from sentinel.users");
        assertThat(unscoped).describedAs("users visible with no tenant set").isZero();

        assertThat(visibleUsers(a.tenantId())).containsExactlyInAnyOrder(
                a.ownerId().toString(), a.memberId().toString(), globals.sharedUserId().toString());
        assertThat(visibleUsers(b.tenantId())).containsExactlyInAnyOrder(
                b.ownerId().toString(), b.memberId().toString(), globals.sharedUserId().toString());
        assertThat(visibleUsers(a.tenantId())).doesNotContain(globals.loneUserId().toString());
    }

    @Test
    void aUserDisappearsFromATenantWhenTheirMembershipEnds() throws SQLException {
        List<String> afterLeaving = RawScope.tenant(a.tenantId()).rollback(app(), c -> {
            assertThat(Sql.update(c, "delete from sentinel.tenant_members where user_id = ?", a.memberId())).isEqualTo(1);
            return Sql.strings(c, "select id::text from sentinel.users");
        });
        assertThat(afterLeaving).containsExactlyInAnyOrder(a.ownerId().toString(), globals.sharedUserId().toString());
    }

    @Test
    void aTenantCannotWriteUsersNotEvenItsMembers() throws SQLException {
        SQLException renamed = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a.tenantId()).probe(app(),
                "update sentinel.users set display_name = 'renamed' where id = ?", a.memberId()));
        assertThat(renamed.getMessage()).describedAs("a member's user row, updated in the tenant scope")
                .contains("permission denied for table users");

        SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a.tenantId()).probe(app(),
                "insert into sentinel.users (id, email) values (?, 'new@example.com')", UUID.randomUUID()));
        assertThat(error.getMessage()).describedAs("since V25 the tenant pool has no write privilege on users at all")
                .contains("permission denied for table users");
    }

    @TestFactory
    Stream<DynamicTest> securityTablesAreVisibleOnlyInTheSystemScope() {
        return SYSTEM_ONLY.stream().map(table -> DynamicTest.dynamicTest(table, () -> {
            String count = "select count(*) from sentinel." + table;
            assertThat(RawScope.system().count(system(), count)).describedAs("rows in the system scope").isPositive();
            assertThat(RawScope.none().count(app(), count)).describedAs("rows with no scope").isZero();
            assertThat(RawScope.tenant(a.tenantId()).count(app(), count)).describedAs("rows for a tenant").isZero();
        }));
    }

    @TestFactory
    Stream<DynamicTest> rbacDefinitionsAreReadableEverywhereButWrittenOnlyInTheSystemScope() {
        return READABLE.stream().map(table -> DynamicTest.dynamicTest(table, () -> {
            String count = "select count(*) from sentinel." + table;
            long all = RawScope.system().count(system(), count);
            assertThat(all).isPositive();
            assertThat(RawScope.none().count(app(), count)).isEqualTo(all);
            assertThat(RawScope.tenant(a.tenantId()).count(app(), count)).isEqualTo(all);

            // A copy of an existing row: row-level security refuses it before any key could. On a Citus
            // coordinator a worker refuses every write of the tenant pool to global role assignments, whose key
            // references users, on which the tenant pool holds no privilege since V25: "permission denied for
            // table users", the same SQLSTATE and nothing written, but not the policy's message, and a delete
            // is refused rather than finding no row.
            boolean refusedOnUsers = ClusterCheck.isCitus(db.adminDataSource()) && table.equals("global_role_assignments");
            String copy = "insert into sentinel." + table + " select * from sentinel." + table + " limit 1";
            SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                    () -> RawScope.tenant(a.tenantId()).probe(app(), copy));
            assertThat(error.getMessage()).contains(refusedOnUsers ? "permission denied for table users" : "row-level security");
            String delete = "delete from sentinel." + table;
            if (refusedOnUsers) {
                assertThat(Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a.tenantId()).probe(app(), delete))
                        .getMessage()).contains("permission denied for table users");
            } else {
                int deleted = RawScope.tenant(a.tenantId()).probe(app(), delete);
                assertThat(deleted).describedAs("rows deleted outside the system scope").isZero();
            }
            assertThat(RawScope.system().count(system(), count)).describedAs("rows after the refused writes").isEqualTo(all);
        }));
    }

    @TestFactory
    Stream<DynamicTest> migrationRecordsAreReadableEverywhereAndNeverWrittenByTheApplication() {
        return MIGRATIONS_ONLY.stream().map(table -> DynamicTest.dynamicTest(table, () -> {
            String count = "select count(*) from sentinel." + table;
            long all = RawScope.system().count(system(), count);
            assertThat(all).describedAs("the kernel's own tables are recorded").isPositive();
            assertThat(RawScope.tenant(a.tenantId()).count(app(), count)).isEqualTo(all);
            String copy = "insert into sentinel." + table + " select * from sentinel." + table + " limit 1";
            SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.system().probe(system(), copy));
            assertThat(error.getMessage()).describedAs("refused by privilege, even in the system scope").contains("permission denied");
        }));
    }

    @TestFactory
    Stream<DynamicTest> ownerRecordsAreOutOfTheRuntimeRolesReach() {
        return OWNER_ONLY.stream().map(table -> DynamicTest.dynamicTest(table, () -> {
            for (DataSource runtime : List.of(app(), system())) {
                SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                        () -> RawScope.system().count(runtime, "select count(*) from sentinel." + table));
                assertThat(error.getMessage()).describedAs("refused by privilege, even in the system scope").contains("permission denied");
            }
        }));
    }

    private static List<String> visibleUsers(UUID tenant) throws SQLException {
        return RawScope.tenant(tenant).rollback(app(), c -> Sql.strings(c, "select id::text from sentinel.users"));
    }

    private static DataSource app() {
        return db.appDataSource();
    }

    private static DataSource system() {
        return db.systemDataSource();
    }
}
