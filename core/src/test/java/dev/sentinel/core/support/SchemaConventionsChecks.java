package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog.ForeignKey;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One schema (the kernel's, or a module's) follows DESIGN.md's schema conventions: tenant tables
 * keyed and indexed tenant first, forced row-level security with exactly the two policies and no
 * subquery in any policy, global tables written only in the system scope, SET NULL that never nulls
 * tenant_id, sealed secrets, soft deletes where the issue asks for them, comments, ownership and no
 * TRUNCATE for the application role. A subclass names what it expects the catalog to list, so that
 * a catalog query gone wrong cannot pass on nothing.
 */
public abstract class SchemaConventionsChecks {

    private final SentinelDatabase db;
    private final String schema;

    /**
     * @param db the database, registered with {@code @RegisterExtension} on the subclass's static field
     * @param schema the schema under test
     */
    protected SchemaConventionsChecks(SentinelDatabase db, String schema) {
        this.db = Objects.requireNonNull(db, "db");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * Indexes of tenant tables that lead with something else than tenant_id, on purpose.
     *
     * @return index names, without schema; none by default
     */
    protected Set<String> crossTenantIndexes() {
        return Set.of();
    }

    /**
     * The fewest tables keyed tenant first the schema may have.
     *
     * @return the count
     */
    protected abstract int minimumTenantTables();

    /**
     * How many global tables (no tenant) the schema has.
     *
     * @return the count
     */
    protected abstract int globalTableCount();

    /**
     * ON DELETE SET NULL keys the catalog must list.
     *
     * @return constraint names; none by default
     */
    protected List<String> expectedSetNullKeys() {
        return List.of();
    }

    /**
     * Every column commented {@code sentinel:secret}.
     *
     * @return {@code <table>.<column>}, sorted
     */
    protected abstract List<String> secretColumns();

    /**
     * Every table with the three soft-delete columns.
     *
     * @return table names, sorted
     */
    protected abstract List<String> softDeleteTables();

    @Test
    public void everyTenantTableIsKeyedAndIndexedTenantFirst() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> offending = Sql.strings(c, """
                    select i.indexrelid::regclass::text from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = ? and i.indkey[0] <> tenant.attnum
                    order by 1""", schema);
            assertThat(offending).describedAs("indexes of tenant tables that do not lead with tenant_id")
                    .containsExactlyInAnyOrderElementsOf(crossTenantIndexes().stream().map(name -> schema + "." + name).toList());
            // sentinel.tenants is keyed by its id, not by a tenant_id.
            long tenantTables = Catalog.tenantTables(c, schema).stream()
                    .filter(table -> table.tenantColumn().equals("tenant_id")).count();
            long primaryKeysTenantFirst = Sql.count(c, """
                    select count(*) from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute tenant on tenant.attrelid = t.oid and tenant.attname = 'tenant_id'
                    where n.nspname = ? and i.indisprimary and i.indkey[0] = tenant.attnum""", schema);
            assertThat(primaryKeysTenantFirst).isEqualTo(tenantTables).isGreaterThanOrEqualTo(minimumTenantTables());
        }
    }

    @Test
    public void everyTenantTableForcesRowLevelSecurityWithExactlyTheTwoPolicies() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            for (TenantTable table : Catalog.tenantTables(c, schema)) {
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
    public void noPolicyHasASubquery() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> policies = Sql.strings(c, """
                    select t.relname || '.' || p.polname || ': ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
                           || ' | ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
                    from pg_policy p
                    join pg_class t on t.oid = p.polrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ?
                    order by 1""", schema);
            assertThat(policies).describedAs("policies of schema %s, none with a subquery (Citus refuses them)", schema)
                    .isNotEmpty().noneMatch(policy -> policy.toLowerCase(Locale.ROOT).contains("select"));
        }
    }

    @Test
    public void everyGlobalTableForcesRowLevelSecurityAndOnlyTheSystemScopeWrites() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> globals = Catalog.globalTables(c, schema);
            assertThat(globals).describedAs("global tables of schema %s", schema).hasSize(globalTableCount());
            for (String table : globals) {
                String oid = "'" + schema + "." + table + "'::regclass";
                assertThat(Sql.strings(c, "select relrowsecurity and relforcerowsecurity from pg_class where oid = " + oid))
                        .describedAs("%s: row-level security enabled and forced", table).containsExactly("t");
                assertThat(Sql.strings(c, "select polname from pg_policy where polrelid = " + oid
                        + " and polcmd <> 'r' order by polname")).describedAs("%s: policies that allow writes", table)
                        .containsExactly("system_scope");
            }
        }
    }

    @Test
    public void setNullNeverNullsTenantId() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<ForeignKey> setNull = Catalog.foreignKeys(c, schema).stream().filter(fk -> fk.onDelete().equals("n")).toList();
            assertThat(setNull).describedAs("SET NULL keys found in the catalog").extracting(ForeignKey::name)
                    .containsAll(expectedSetNullKeys());
            for (ForeignKey fk : setNull) {
                assertThat(fk.setNullColumns()).describedAs("%s: ON DELETE SET NULL (columns), which Citus refuses", fk).isEmpty();
                assertThat(fk.columns()).describedAs("%s nulls", fk).doesNotContain("tenant_id").isNotEmpty();
            }
        }
    }

    @Test
    public void everySecretColumnHasACiphertextCheck() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            List<String> secrets = Sql.strings(c, """
                    select t.relname || '.' || a.attname from pg_attribute a
                    join pg_class t on t.oid = a.attrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and col_description(t.oid, a.attnum) like 'sentinel:secret%'
                    order by 1""", schema);
            assertThat(secrets).containsExactlyElementsOf(secretColumns());
            for (String secret : secrets) {
                String[] parts = secret.split("\\.");
                assertThat(Sql.count(c, """
                        select count(*) from pg_constraint
                        where conrelid = ?::regclass and contype = 'c'
                          and pg_get_constraintdef(oid) like ?""",
                        schema + "." + parts[0], "%is_secret_ciphertext(" + parts[1] + ")%"))
                        .describedAs("CHECK on %s", secret).isEqualTo(1);
            }
        }
    }

    @Test
    public void softDeleteIsOnExactlyTheTablesThatNeedIt() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r'
                      and (select count(*) from pg_attribute a where a.attrelid = t.oid and not a.attisdropped
                           and a.attname in ('deleted_at', 'deleted_by', 'delete_reason')) = 3
                    order by 1""", schema)).containsExactlyElementsOf(softDeleteTables());
        }
    }

    @Test
    public void everyTableHasAComment() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select t.relname from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r' and t.relname <> 'flyway_schema_history'
                      and coalesce(obj_description(t.oid, 'pg_class'), '') = ''""", schema)).isEmpty();
        }
    }

    @Test
    public void theOwnerOwnsEverythingAndTheAppRoleCannotTruncate() throws SQLException {
        try (Connection c = db.ownerDataSource().getConnection()) {
            assertThat(Sql.strings(c, """
                    select distinct pg_get_userbyid(relowner) from pg_class t
                    join pg_namespace n on n.oid = t.relnamespace where n.nspname = ?
                    union
                    select distinct pg_get_userbyid(proowner) from pg_proc p
                    join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?""", schema, schema))
                    .describedAs("owners of tables, indexes, sequences and functions").containsExactly("sentinel_owner");
            assertThat(Sql.count(c, """
                    select count(*) from pg_class t join pg_namespace n on n.oid = t.relnamespace
                    where n.nspname = ? and t.relkind = 'r'
                      and has_table_privilege('sentinel_app', t.oid, 'TRUNCATE')""", schema))
                    .describedAs("tables the app role may truncate (TRUNCATE bypasses row-level security)").isZero();
        }
    }
}
