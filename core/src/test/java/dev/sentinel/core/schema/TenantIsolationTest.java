package dev.sentinel.core.schema;

import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.core.db.Tables.TENANT_ROLE_ASSIGNMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.Catalog.ForeignKey;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.SchemaFixture;
import dev.sentinel.core.support.SchemaFixture.Globals;
import dev.sentinel.core.support.SchemaFixture.TenantRows;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row-level security keeps tenants apart in the database itself, for every tenant table the catalog
 * lists in the kernel's schema {@code sentinel} (a module's tables have their own copy of these
 * checks, such as the agency's {@code dev.sentinel.agency.schema.TenantIsolationTest}): connected as the application role, no tenant means no rows, a tenant sees exactly its own,
 * it cannot write another tenant's rows, and no composite foreign key can point into another tenant.
 * Two tenants get a full row graph first, and every check compares with counts taken in the system
 * scope, so no check can pass on an empty table.
 */
class TenantIsolationTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    /** Append-only tables: UPDATE and DELETE are not granted at all (AuditLogAppendOnlyTest covers them). */
    private static final Set<String> APPEND_ONLY = Set.of("audit_log", "audit_chain");

    private static Globals globals;
    private static TenantRows a;
    private static TenantRows b;

    @BeforeAll
    static void insertTwoTenants() throws SQLException {
        globals = SchemaFixture.insertGlobals(db.appDataSource());
        a = SchemaFixture.insertTenant(db.appDataSource(), "tenant-a", globals);
        b = SchemaFixture.insertTenant(db.appDataSource(), "tenant-b", globals);
    }

    @Test
    void theFixtureFillsEveryTenantTableForBothTenants() throws SQLException {
        List<TenantTable> tables = tenantTables();
        assertThat(tables).extracting(TenantTable::name).describedAs("tenant tables found in the catalog")
                .contains("tenants", "tenant_members", "api_keys", "refresh_tokens", "tenant_role_assignments",
                        "audit_log", "audit_chain", "jobs", "number_counters");
        for (TenantTable table : tables) {
            assertThat(rowsOf(table, a.tenantId())).describedAs("%s rows of tenant A", table).isPositive();
            assertThat(rowsOf(table, b.tenantId())).describedAs("%s rows of tenant B", table).isPositive();
        }
    }

    @TestFactory
    Stream<DynamicTest> withoutATenantNoRowIsVisible() throws SQLException {
        return perTable(table -> {
            assertThat(rowsOf(table, a.tenantId()) + rowsOf(table, b.tenantId())).isPositive();
            long visible = RawScope.none().count(app(), "select count(*) from " + table.qualified());
            assertThat(visible).describedAs("%s rows visible with no tenant set", table).isZero();
        });
    }

    @TestFactory
    Stream<DynamicTest> aTenantSeesExactlyItsOwnRows() throws SQLException {
        return perTable(table -> {
            for (UUID tenant : List.of(a.tenantId(), b.tenantId())) {
                long own = rowsOf(table, tenant);
                long visible = RawScope.tenant(tenant).count(app(), "select count(*) from " + table.qualified());
                long foreign = RawScope.tenant(tenant).count(app(),
                        "select count(*) from " + table.qualified() + " where " + table.tenantColumn() + " <> ?", tenant);
                assertThat(own).isPositive();
                assertThat(visible).describedAs("%s rows visible to %s", table, tenant).isEqualTo(own);
                assertThat(foreign).describedAs("%s rows of other tenants visible to %s", table, tenant).isZero();
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> theSystemScopeSeesBothTenants() throws SQLException {
        return perTable(table -> {
            long both = RawScope.system().count(app(), "select count(*) from " + table.qualified()
                    + " where " + table.tenantColumn() + " in (?, ?)", a.tenantId(), b.tenantId());
            long ofA = rowsOf(table, a.tenantId());
            long ofB = rowsOf(table, b.tenantId());
            assertThat(ofA).isPositive();
            assertThat(ofB).isPositive();
            assertThat(both).describedAs("%s rows of A and B in the system scope", table).isEqualTo(ofA + ofB);
        });
    }

    @TestFactory
    Stream<DynamicTest> aTenantCannotInsertARowOfAnotherTenant() throws SQLException {
        return perTable(table -> {
            String columns = String.join(", ", insertableColumns(table));
            // A copy of one of A's rows, relabelled as B's: valid in every other respect.
            String copy = "insert into " + table.qualified() + " (" + columns + ") select " + columns
                    + " from jsonb_populate_record(null::" + table.qualified() + ", (select to_jsonb(x) from "
                    + table.qualified() + " x limit 1) || jsonb_build_object('" + table.tenantColumn() + "', ?::text))";
            SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                    () -> RawScope.tenant(a.tenantId()).probe(app(), copy, b.tenantId().toString()));
            assertThat(error.getMessage()).contains("new row violates row-level security policy");
        });
    }

    @TestFactory
    Stream<DynamicTest> aTenantCannotMoveItsRowsToAnotherTenant() throws SQLException {
        return perTable(table -> {
            String move = "update " + table.qualified() + " set " + table.tenantColumn() + " = ?";
            SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE,
                    () -> RawScope.tenant(a.tenantId()).probe(app(), move, b.tenantId()));
            assertThat(error.getMessage()).contains(APPEND_ONLY.contains(table.name())
                    ? "permission denied" : "new row violates row-level security policy");
        });
    }

    @TestFactory
    Stream<DynamicTest> anotherTenantsRowsCannotBeUpdatedOrDeleted() throws SQLException {
        return perTable(table -> {
            if (APPEND_ONLY.contains(table.name())) {
                return; // not even its own rows can be changed
            }
            long before = rowsOf(table, b.tenantId());
            String where = " where " + table.tenantColumn() + " = ?";
            int updated = RawScope.tenant(a.tenantId()).probe(app(),
                    "update " + table.qualified() + " set " + table.tenantColumn() + " = " + table.tenantColumn() + where,
                    b.tenantId());
            int deleted = RawScope.tenant(a.tenantId()).probe(app(), "delete from " + table.qualified() + where, b.tenantId());
            assertThat(before).isPositive();
            assertThat(updated).describedAs("%s rows of B updated while scoped to A", table).isZero();
            assertThat(deleted).describedAs("%s rows of B deleted while scoped to A", table).isZero();
        });
    }

    @TestFactory
    Stream<DynamicTest> noCompositeForeignKeyCanPointIntoAnotherTenant() throws SQLException {
        List<ForeignKey> betweenTenantTables;
        try (Connection connection = app().getConnection()) {
            Set<String> referenceable = Catalog.tenantTables(connection, Catalog.KERNEL).stream()
                    .filter(table -> table.tenantColumn().equals("tenant_id")).map(TenantTable::qualified)
                    .collect(Collectors.toSet());
            betweenTenantTables = Catalog.foreignKeys(connection, Catalog.KERNEL).stream()
                    .filter(fk -> referenceable.contains(fk.referencedTable())).toList();
        }
        assertThat(betweenTenantTables).extracting(ForeignKey::name).describedAs("found in the catalog")
                .contains("refresh_tokens_member_fkey", "tenant_role_assignments_member_fkey");
        return betweenTenantTables.stream().map(fk -> DynamicTest.dynamicTest(fk.name(), () -> {
            assertThat(fk.columns()).describedAs("composite, tenant first").hasSizeGreaterThan(1).first().isEqualTo("tenant_id");
            assertThat(fk.referencedColumns()).first().isEqualTo("tenant_id");
            List<String> own = fk.columns().subList(1, fk.columns().size());
            List<String> referenced = fk.referencedColumns().subList(1, fk.referencedColumns().size());
            // Point the first-written of A's rows that has the reference at a row of B whose key does not
            // also exist in A. The system scope sees both tenants, and the table's own triggers are
            // disabled for the probe, as the owner, so only the foreign key can refuse. The probe rolls back.
            String sql = "update " + fk.table() + " set (" + String.join(", ", own) + ") = (select "
                    + prefixed("r.", referenced) + " from " + fk.referencedTable() + " r where r.tenant_id = ?"
                    + " and not exists (select from " + fk.referencedTable() + " s where s.tenant_id = ? and ("
                    + prefixed("s.", referenced) + ") = (" + prefixed("r.", referenced) + ")) limit 1)"
                    + " where ctid = (select ctid from " + fk.table() + " where tenant_id = ?"
                    + " and (" + String.join(", ", own) + ") is not null order by ctid limit 1)";
            SQLException error = Sql.expectFailure(Sql.FOREIGN_KEY_VIOLATION,
                    () -> RawScope.system().rollback(db.ownerDataSource(), c -> {
                        try (java.sql.Statement statement = c.createStatement()) {
                            statement.execute("alter table " + fk.table() + " disable trigger user");
                        }
                        return Sql.update(c, sql, b.tenantId(), a.tenantId(), a.tenantId());
                    }));
            assertThat(error.getMessage()).contains(fk.name());
        }));
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

    private static Stream<DynamicTest> perTable(TableCheck check) throws SQLException {
        return tenantTables().stream().map(table -> DynamicTest.dynamicTest(table.name(), () -> check.run(table)));
    }

    private static List<TenantTable> tenantTables() throws SQLException {
        try (Connection connection = app().getConnection()) {
            return Catalog.tenantTables(connection, Catalog.KERNEL);
        }
    }

    private static long rowsOf(TenantTable table, UUID tenant) throws SQLException {
        return RawScope.system().count(app(),
                "select count(*) from " + table.qualified() + " where " + table.tenantColumn() + " = ?", tenant);
    }

    private static List<String> insertableColumns(TenantTable table) throws SQLException {
        return RawScope.none().rollback(app(), c -> Sql.strings(c, """
                select attname from pg_attribute
                where attrelid = ?::regclass and attnum > 0 and not attisdropped
                  and attgenerated = '' and attidentity <> 'a'
                order by attnum""", table.qualified()));
    }

    private static String prefixed(String prefix, List<String> columns) {
        return columns.stream().map(column -> prefix + column).collect(Collectors.joining(", "));
    }

    private static DataSource app() {
        return db.appDataSource();
    }

    @FunctionalInterface
    private interface TableCheck {
        void run(TenantTable table) throws Exception;
    }
}
