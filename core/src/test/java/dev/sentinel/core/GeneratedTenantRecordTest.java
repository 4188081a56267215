package dev.sentinel.core;

import static dev.sentinel.core.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.db.enums.TenantPlan;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generated classes work against the real schema, connected as the application role, and the
 * tenants table obeys row-level security: a tenant sees its own row, no tenant sees nothing.
 */
class GeneratedTenantRecordTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @Test
    void insertsAndReadsATenantThroughTheGeneratedRecordAsTheAppRole() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = db.appDataSource().getConnection()) {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            assertThat(dsl.fetchValue("select current_user")).isEqualTo("sentinel_app");

            dsl.transaction(tx -> {
                tx.dsl().execute("set local sentinel.tenant_id = '" + id + "'");
                TenantsRecord tenant = tx.dsl().newRecord(TENANTS);
                tenant.setId(id);
                tenant.setSlug("acme");
                tenant.setName("Acme GmbH");
                tenant.setTimeZone("Europe/Berlin");
                tenant.store();
            });

            TenantsRecord read = dsl.transactionResult(tx -> {
                tx.dsl().execute("set local sentinel.tenant_id = '" + id + "'");
                return tx.dsl().fetchSingle(TENANTS, TENANTS.ID.eq(id));
            });
            assertThat(read.getSlug()).isEqualTo("acme");
            assertThat(read.getName()).isEqualTo("Acme GmbH");
            assertThat(read.getPlan()).describedAs("column default").isEqualTo(TenantPlan.FREE);
            assertThat(read.getCreatedAt()).isNotNull();
            assertThat(read.getDeletedAt()).isNull();
        }
    }

    @Test
    void withoutATenantTheAppRoleSeesNoRowsAlthoughRowsExist() throws SQLException {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        try (Connection connection = db.systemDataSource().getConnection()) {
            DSLContext system = DSL.using(connection, SQLDialect.POSTGRES);
            system.transaction(tx -> {
                tx.dsl().execute("set local sentinel.scope = 'system'");
                tx.dsl().insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME)
                        .values(tenantA, "tenant-a", "Tenant A")
                        .values(tenantB, "tenant-b", "Tenant B")
                        .execute();
            });

            int inSystemScope = system.transactionResult(tx -> {
                tx.dsl().execute("set local sentinel.scope = 'system'");
                return tx.dsl().fetchCount(TENANTS, TENANTS.ID.in(tenantA, tenantB));
            });
            assertThat(inSystemScope).describedAs("the system scope, as the system role, sees both tenants").isEqualTo(2);
        }
        try (Connection connection = db.appDataSource().getConnection()) {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            assertThat(dsl.fetchCount(TENANTS)).describedAs("no tenant set: fail closed").isZero();

            int appInSystemScope = dsl.transactionResult(tx -> {
                tx.dsl().execute("set local sentinel.scope = 'system'");
                return tx.dsl().fetchCount(TENANTS);
            });
            assertThat(appInSystemScope).describedAs("the application role's system scope setting opens nothing").isZero();

            int asTenantA = dsl.transactionResult(tx -> {
                tx.dsl().execute("set local sentinel.tenant_id = '" + tenantA + "'");
                return tx.dsl().fetchCount(TENANTS);
            });
            assertThat(asTenantA).describedAs("tenant A sees exactly its own row").isEqualTo(1);
        }
    }

    @Test
    void aTenantCannotInsertAnotherTenantsRow() throws SQLException {
        try (Connection connection = db.appDataSource().getConnection()) {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            assertThatThrownBy(() -> dsl.transaction(tx -> {
                tx.dsl().execute("set local sentinel.tenant_id = '" + UUID.randomUUID() + "'");
                tx.dsl().insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME)
                        .values(UUID.randomUUID(), "intruder", "Intruder")
                        .execute();
            }))
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("row-level security");
        }
    }
}
