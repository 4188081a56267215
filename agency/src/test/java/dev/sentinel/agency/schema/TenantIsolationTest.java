package dev.sentinel.agency.schema;

import static dev.sentinel.agency.db.Tables.PROJECTS;
import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.schema.AgencySchemaFixture.TenantRowsWithProject;
import dev.sentinel.agency.Agency;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.core.support.RawScope;
import dev.sentinel.core.support.Sql;
import dev.sentinel.core.support.TenantIsolationChecks;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

/**
 * Core's {@link TenantIsolationChecks} on the agency's schema {@code agency}, where the rules of rows
 * that never change refuse a move before row-level security does, and time booked across tenants.
 */
class TenantIsolationTest extends TenantIsolationChecks<TenantRowsWithProject> {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    /** Tables whose rows never change once written (V3__contracts): a row cannot be repointed at all. */
    private static final Set<String> IMMUTABLE = Set.of("contract_versions");

    /** Rows a V2__billing guard freezes, which rule refuses them, and the rows row-level security alone decides on (null: none). */
    private record Frozen(String frozenRows, String guard, String movableRows) {
    }

    private static final Map<String, Frozen> FROZEN = Map.of(
            "invoices", new Frozen(" where status <> 'draft'", "invoices_issued_immutable", " where status = 'draft'"),
            "invoice_items", new Frozen(" where invoice_id in (select id from agency.invoices where status <> 'draft')",
                    "invoice_items_issued_immutable", " where invoice_id in (select id from agency.invoices where status = 'draft')"),
            "ledger_entries", new Frozen("", "ledger_entries_append_only", null));

    TenantIsolationTest() {
        super(db, Agency.SCHEMA, AgencySchemaFixture::insertTenant);
    }

    @Override
    protected List<String> expectedTenantTables() {
        return List.of("environments", "projects", "project_assignments", "time_entries", "services", "contracts",
                "contract_versions", "clients", "invoice_series", "invoices", "invoice_items", "ledger_entries", "leads",
                "kb_documents", "media_assets", "integrations");
    }

    @Override
    protected List<String> expectedCrossTenantKeys() {
        return List.of("time_entries_project_fkey", "project_assignments_member_fkey", "leads_assignee_fkey",
                "invoice_items_invoice_fkey", "contract_versions_contract_fkey");
    }

    @Override
    protected void assertRowsCannotMoveToAnotherTenant(TenantTable table) throws Exception {
        if (citus()) {
            // Citus refuses any change of tenant_id while planning, before a guard or a policy runs.
            super.assertRowsCannotMoveToAnotherTenant(table);
            return;
        }
        if (IMMUTABLE.contains(table.name())) {
            // Refused before row-level security is asked: the row cannot change at all.
            moveToTenantB(table, "", Sql.RESTRICT_VIOLATION);
            return;
        }
        Frozen frozen = FROZEN.get(table.name());
        if (frozen == null) {
            super.assertRowsCannotMoveToAnotherTenant(table);
            return;
        }
        // Frozen rows are refused by their guard before row-level security is asked.
        SQLException refused = moveToTenantB(table, frozen.frozenRows(), Sql.CHECK_VIOLATION);
        assertThat(((PSQLException) refused).getServerErrorMessage().getConstraint()).isEqualTo(frozen.guard());
        if (frozen.movableRows() != null) {
            assertThat(moveToTenantB(table, frozen.movableRows(), Sql.INSUFFICIENT_PRIVILEGE).getMessage())
                    .contains(ROW_LEVEL_SECURITY_REFUSAL);
        }
    }

    @Test
    void aTenantCannotBookTimeOnAnotherTenantsProject() throws SQLException {
        SQLException error = Sql.expectFailure(Sql.FOREIGN_KEY_VIOLATION, () -> RawScope.tenant(a.tenantId()).rollback(app(),
                c -> DSL.using(c, SQLDialect.POSTGRES).insertInto(TIME_ENTRIES)
                        .set(TIME_ENTRIES.TENANT_ID, a.tenantId())
                        .set(TIME_ENTRIES.ID, UUID.randomUUID())
                        .set(TIME_ENTRIES.PROJECT_ID, b.projectId())
                        .set(TIME_ENTRIES.USER_ID, a.memberId())
                        .set(TIME_ENTRIES.WORK_DATE, LocalDate.of(2026, 3, 3))
                        .set(TIME_ENTRIES.DURATION_MINUTES, 30)
                        .execute()));
        assertThat(error.getMessage()).contains("time_entries_project_fkey");

        int onOwnProject = RawScope.tenant(a.tenantId()).rollback(app(), c -> DSL.using(c, SQLDialect.POSTGRES)
                .insertInto(TIME_ENTRIES)
                .set(TIME_ENTRIES.TENANT_ID, a.tenantId())
                .set(TIME_ENTRIES.ID, UUID.randomUUID())
                .set(TIME_ENTRIES.PROJECT_ID, a.projectId())
                .set(TIME_ENTRIES.USER_ID, a.memberId())
                .set(TIME_ENTRIES.WORK_DATE, LocalDate.of(2026, 3, 3))
                .set(TIME_ENTRIES.DURATION_MINUTES, 30)
                .execute());
        assertThat(onOwnProject).describedAs("the same insert on A's own project").isEqualTo(1);
        int foreignProjects = RawScope.tenant(a.tenantId()).rollback(app(), c -> DSL.using(c, SQLDialect.POSTGRES)
                .fetchCount(PROJECTS, PROJECTS.ID.eq(b.projectId())));
        assertThat(foreignProjects).describedAs("B's project, seen from A").isZero();
    }
}
