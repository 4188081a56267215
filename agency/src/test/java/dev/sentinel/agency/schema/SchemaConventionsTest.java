package dev.sentinel.agency.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.Catalog.ForeignKey;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agency's schema {@code agency} follows DESIGN.md's schema conventions, as the kernel's does
 * (core's {@code dev.sentinel.core.schema.SchemaConventionsTest}): tenant tables keyed and indexed
 * tenant first, forced row-level security with exactly the two policies and no subquery in any
 * policy, SET NULL that never nulls tenant_id, sealed secrets, soft deletes where the issue asks for
 * them, comments, ownership and grants.
 */
class SchemaConventionsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    /** The schema under test. */
    private static final String SCHEMA = "agency";

    @Test
    void everyTenantTableIsKeyedAndIndexedTenantFirst() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> offending = Sql.strings(c, """
                    select i.indexrelid::regclass::text from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = ? and i.indkey[0] <> tenant.attnum
                    order by 1""", SCHEMA);
            assertThat(offending).describedAs("indexes of tenant tables that do not lead with tenant_id").isEmpty();
            long tenantTables = Catalog.tenantTables(c, SCHEMA).size();
            long primaryKeysTenantFirst = Sql.count(c, """
                    select count(*) from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = ? and i.indisprimary and i.indkey[0] = tenant.attnum""", SCHEMA);
            assertThat(primaryKeysTenantFirst).isEqualTo(tenantTables).isGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void everyTenantTableForcesRowLevelSecurityWithExactlyTheTwoPolicies() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            for (TenantTable table : Catalog.tenantTables(c, SCHEMA)) {
                String oid = "'" + table.qualified() + "'::regclass";
                assertThat(Sql.strings(c, "select relrowsecurity and relforcerowsecurity from pg_class where oid = " + oid))
                        .describedAs("%s: row-level security enabled and forced", table).containsExactly("t");
                assertThat(Sql.strings(c, "select polname || ' ' || polcmd::text || ' ' || polpermissive::text"
                        + " from pg_policy where polrelid = " + oid + " order by polname")).describedAs("%s: policies", table)
                        .containsExactly("system_scope * true", "tenant_scope * true");
                assertThat(Sql.strings(c, "select pg_get_expr(polqual, polrelid) || ' | ' || pg_get_expr(polwithcheck, polrelid)"
                        + " from pg_policy where polname = 'tenant_scope' and polrelid = " + oid))
                        .describedAs("%s: fail-closed comparison in USING and WITH CHECK, no null fallback", table)
                        .containsExactly("(tenant_id = sentinel.current_tenant_id()) | (tenant_id = sentinel.current_tenant_id())");
                assertThat(Sql.strings(c, "select pg_get_expr(polqual, polrelid) || ' | ' || pg_get_expr(polwithcheck, polrelid)"
                        + " from pg_policy where polname = 'system_scope' and polrelid = " + oid))
                        .describedAs("%s: the named system-scope clause", table)
                        .containsExactly("sentinel.in_system_scope() | sentinel.in_system_scope()");
            }
        }
    }

    @Test
    void noPolicyHasASubquery() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> policies = Sql.strings(c, """
                    select t.relname || '.' || p.polname || ': ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
                           || ' | ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
                    from pg_policy p
                    join pg_class t on t.oid = p.polrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ?
                    order by 1""", SCHEMA);
            assertThat(policies).describedAs("policies of schema agency, none with a subquery (Citus refuses them)")
                    .isNotEmpty().noneMatch(policy -> policy.toLowerCase(Locale.ROOT).contains("select"));
        }
    }

    @Test
    void everyTableBelongsToATenant() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Catalog.globalTables(c, SCHEMA)).describedAs("global tables of schema agency").isEmpty();
        }
    }

    @Test
    void setNullNeverNullsTenantId() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            for (ForeignKey fk : Catalog.foreignKeys(c, SCHEMA).stream().filter(fk -> fk.onDelete().equals("n")).toList()) {
                assertThat(fk.setNullColumns()).describedAs("%s: ON DELETE SET NULL (columns), which Citus refuses", fk).isEmpty();
                assertThat(fk.columns()).describedAs("%s nulls", fk).doesNotContain("tenant_id").isNotEmpty();
            }
        }
    }

    @Test
    void everySecretColumnHasACiphertextCheck() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> secrets = Sql.strings(c, """
                    select t.relname || '.' || a.attname from pg_attribute a
                    join pg_class t on t.oid = a.attrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and col_description(t.oid, a.attnum) like 'sentinel:secret%'
                    order by 1""", SCHEMA);
            assertThat(secrets).containsExactly("integrations.access_token", "integrations.refresh_token");
            for (String secret : secrets) {
                String[] parts = secret.split("\\.");
                assertThat(Sql.count(c, """
                        select count(*) from pg_constraint
                        where conrelid = ?::regclass and contype = 'c'
                          and pg_get_constraintdef(oid) like ?""",
                        SCHEMA + "." + parts[0], "%is_secret_ciphertext(" + parts[1] + ")%"))
                        .describedAs("CHECK on %s", secret).isEqualTo(1);
            }
        }
    }

    @Test
    void softDeleteIsOnExactlyTheTablesThatNeedIt() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r'
                      and (select count(*) from pg_attribute a where a.attrelid = t.oid and not a.attisdropped
                           and a.attname in ('deleted_at', 'deleted_by', 'delete_reason')) = 3
                    order by 1""", SCHEMA)).containsExactly("clients", "contracts", "invoices", "kb_documents", "leads",
                    "media_assets", "projects", "services");
        }
    }

    @Test
    void everyTableHasAComment() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r'
                      and t.relname <> 'flyway_schema_history'
                      and coalesce(obj_description(t.oid, 'pg_class'), '') = ''""", SCHEMA)).isEmpty();
        }
    }

    @Test
    void theOwnerOwnsEverythingAndTheAppRoleCannotTruncate() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select distinct pg_get_userbyid(relowner) from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace where n.nspname = ?
                    union
                    select distinct pg_get_userbyid(proowner) from pg_proc p
                    join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?""", SCHEMA, SCHEMA))
                    .describedAs("owners of tables, indexes, sequences and functions").containsExactly("sentinel_owner");
            assertThat(Sql.count(c, """
                    select count(*) from pg_class t join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r'
                      and has_table_privilege('sentinel_app', t.oid, 'TRUNCATE')""", SCHEMA))
                    .describedAs("tables the app role may truncate (TRUNCATE bypasses row-level security)").isZero();
        }
    }
}
