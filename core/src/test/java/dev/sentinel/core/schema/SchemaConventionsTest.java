package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog;
import dev.sentinel.core.support.Catalog.ForeignKey;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.core.support.Sql;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel's schema {@code sentinel} follows DESIGN.md's schema conventions: tenant tables keyed
 * and indexed tenant first, forced row-level security with exactly the two policies and no subquery
 * in any policy, SET NULL that never nulls tenant_id, sealed secrets, soft deletes where the issue
 * asks for them, comments, ownership and grants. (A module's schema has its own copy of these checks,
 * such as the agency's {@code dev.sentinel.agency.schema.SchemaConventionsTest}.)
 */
class SchemaConventionsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    /** Indexes that serve a worker pool claiming across tenants (see V7__jobs.sql). */
    private static final Set<String> CROSS_TENANT_INDEXES = Set.of("jobs_claim_idx", "jobs_lease_idx");

    @Test
    void everyTenantTableIsKeyedAndIndexedTenantFirst() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> offending = Sql.strings(c, """
                    select i.indexrelid::regclass::text from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = 'sentinel' and i.indkey[0] <> tenant.attnum
                    order by 1""");
            assertThat(offending).describedAs("indexes of tenant tables that do not lead with tenant_id")
                    .containsExactlyInAnyOrderElementsOf(CROSS_TENANT_INDEXES.stream().map(name -> "sentinel." + name).toList());
            long tenantTables = Catalog.tenantTables(c, Catalog.KERNEL).size() - 1;
            long primaryKeysTenantFirst = Sql.count(c, """
                    select count(*) from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = 'sentinel' and i.indisprimary and i.indkey[0] = tenant.attnum""");
            assertThat(primaryKeysTenantFirst).isEqualTo(tenantTables).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void everyTenantTableForcesRowLevelSecurityWithExactlyTheTwoPolicies() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            for (TenantTable table : Catalog.tenantTables(c, Catalog.KERNEL)) {
                String oid = "'" + table.qualified() + "'::regclass";
                assertThat(Sql.strings(c, "select relrowsecurity and relforcerowsecurity from pg_class where oid = " + oid))
                        .describedAs("%s: row-level security enabled and forced", table).containsExactly("t");
                assertThat(Sql.strings(c, "select polname || ' ' || polcmd::text || ' ' || polpermissive::text"
                        + " from pg_policy where polrelid = " + oid + " order by polname")).describedAs("%s: policies", table)
                        .containsExactly("system_scope * true", "tenant_scope * true");
                String column = table.tenantColumn();
                assertThat(Sql.strings(c, "select pg_get_expr(polqual, polrelid) || ' | ' || pg_get_expr(polwithcheck, polrelid)"
                        + " from pg_policy where polname = 'tenant_scope' and polrelid = " + oid))
                        .describedAs("%s: fail-closed comparison in USING and WITH CHECK, no null fallback", table)
                        .containsExactly("(" + column + " = sentinel.current_tenant_id()) | (" + column + " = sentinel.current_tenant_id())");
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
                    where n.nspname = 'sentinel'
                    order by 1""");
            assertThat(policies).describedAs("policies of schema sentinel, none with a subquery (Citus refuses them)")
                    .isNotEmpty().noneMatch(policy -> policy.toLowerCase(java.util.Locale.ROOT).contains("select"));
        }
    }

    @Test
    void everyGlobalTableForcesRowLevelSecurityAndOnlyTheSystemScopeWrites() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> globals = Catalog.globalTables(c, Catalog.KERNEL);
            assertThat(globals).describedAs("V4 identity, V6 RBAC and resource types, system_audit_log, V9 secret_key_checks")
                    .hasSize(11);
            for (String table : globals) {
                String oid = "'sentinel." + table + "'::regclass";
                assertThat(Sql.strings(c, "select relrowsecurity and relforcerowsecurity from pg_class where oid = " + oid))
                        .describedAs("%s: row-level security enabled and forced", table).containsExactly("t");
                assertThat(Sql.strings(c, "select polname from pg_policy where polrelid = " + oid
                        + " and polcmd <> 'r' order by polname")).describedAs("%s: policies that allow writes", table)
                        .containsExactly("system_scope");
            }
        }
    }

    @Test
    void setNullNeverNullsTenantId() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<ForeignKey> setNull = Catalog.foreignKeys(c, Catalog.KERNEL).stream().filter(fk -> fk.onDelete().equals("n")).toList();
            assertThat(setNull).describedAs("sign-in evidence outlives its user").extracting(ForeignKey::name)
                    .contains("auth_attempts_user_fkey", "account_lockouts_user_fkey");
            for (ForeignKey fk : setNull) {
                assertThat(fk.setNullColumns()).describedAs("%s: ON DELETE SET NULL (columns), which Citus refuses", fk).isEmpty();
                List<String> nulled = fk.setNullColumns().isEmpty() ? fk.columns() : fk.setNullColumns();
                assertThat(nulled).describedAs("%s nulls", fk).doesNotContain("tenant_id").isNotEmpty();
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
                    where n.nspname = 'sentinel' and col_description(t.oid, a.attnum) like 'sentinel:secret%'
                    order by 1""");
            assertThat(secrets).containsExactly("users.mfa_secret");
            for (String secret : secrets) {
                String[] parts = secret.split("\\.");
                assertThat(Sql.count(c, """
                        select count(*) from pg_constraint
                        where conrelid = ?::regclass and contype = 'c'
                          and pg_get_constraintdef(oid) like ?""",
                        "sentinel." + parts[0], "%is_secret_ciphertext(" + parts[1] + ")%"))
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
                    where n.nspname = 'sentinel' and t.relkind = 'r'
                      and (select count(*) from pg_attribute a where a.attrelid = t.oid and not a.attisdropped
                           and a.attname in ('deleted_at', 'deleted_by', 'delete_reason')) = 3
                    order by 1""")).containsExactly("tenants", "users");
        }
    }

    @Test
    void everyTableHasAComment() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = 'sentinel' and t.relkind = 'r' and t.relname <> 'flyway_schema_history'
                      and coalesce(obj_description(t.oid, 'pg_class'), '') = ''""")).isEmpty();
        }
    }

    @Test
    void theOwnerOwnsEverythingAndTheAppRoleOnlyAppendsToTheAuditTrails() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select distinct pg_get_userbyid(relowner) from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'sentinel'
                    union
                    select distinct pg_get_userbyid(proowner) from pg_proc p
                    join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'sentinel'"""))
                    .describedAs("owners of tables, indexes, sequences and functions").containsExactly("sentinel_owner");
            assertThat(Sql.strings(c, """
                    select t.relname || ' ' || p.privilege from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p(privilege)
                    where n.nspname = 'sentinel' and t.relname like '%audit_log'
                      and has_table_privilege('sentinel_app', t.oid, p.privilege)
                    order by 1""")).containsExactly("audit_log INSERT", "audit_log SELECT",
                    "system_audit_log INSERT", "system_audit_log SELECT");
            assertThat(Sql.count(c, """
                    select count(*) from pg_class t join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = 'sentinel' and t.relkind = 'r'
                      and has_table_privilege('sentinel_app', t.oid, 'TRUNCATE')"""))
                    .describedAs("tables the app role may truncate (TRUNCATE bypasses row-level security)").isZero();
        }
    }
}
