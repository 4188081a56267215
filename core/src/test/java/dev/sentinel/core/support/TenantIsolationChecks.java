package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.support.Catalog.ForeignKey;
import dev.sentinel.core.support.Catalog.TenantTable;
import dev.sentinel.core.support.SchemaFixture.InsertedTenant;
import dev.sentinel.core.support.SchemaFixture.TenantInserter;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Row-level security keeps tenants apart in the database itself, for every tenant table the catalog
 * lists in one schema (the kernel's, or a module's): connected as the application role, no tenant
 * means no rows, a tenant sees exactly its own, it cannot write another tenant's rows, and no
 * composite foreign key can point into another tenant. Two tenants get a full row graph first, and
 * every check compares with counts taken in the system scope, so no check can pass on an empty table.
 * A subclass names the tables and keys it expects the catalog to list, and adds its own cases.
 *
 * @param <R> the ids the fixture returns for a tenant
 */
public abstract class TenantIsolationChecks<R extends InsertedTenant> extends TwoTenantSchemaTest<R> {

    /** What PostgreSQL says when a row-level security policy refuses a written row. */
    protected static final String ROW_LEVEL_SECURITY_REFUSAL = "new row violates row-level security policy";
    /** What Citus says, SQLSTATE {@link #CITUS_UNSUPPORTED}, to an update that may change the distribution column. */
    protected static final String CITUS_TENANT_CHANGE = "modifying the partition value of rows is not allowed";
    /** feature_not_supported: Citus's SQLSTATE for what it refuses to plan. */
    protected static final String CITUS_UNSUPPORTED = "0A000";

    private final String schema;

    /**
     * @param db the database, registered with {@code @RegisterExtension} on the subclass's static field
     * @param schema the schema under test
     * @param fixture inserts one tenant's rows in every tenant table of the schema
     */
    protected TenantIsolationChecks(SentinelDatabase db, String schema, TenantInserter<R> fixture) {
        super(db, fixture);
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * Tenant tables the catalog must list, so that a catalog query gone wrong cannot pass on nothing.
     *
     * @return table names, without schema
     */
    protected abstract List<String> expectedTenantTables();

    /**
     * Composite foreign keys between tenant tables that the catalog must list.
     *
     * @return constraint names
     */
    protected abstract List<String> expectedCrossTenantKeys();

    /**
     * Tables on which UPDATE and DELETE are not granted at all, so that not even a tenant's own rows
     * change.
     *
     * @return table names, without schema; none by default
     */
    protected Set<String> appendOnlyTables() {
        return Set.of();
    }

    /**
     * Tables of the schema that the application role may read but not write at all (no privilege),
     * so writes are refused with "permission denied" before row-level security is asked.
     *
     * @return their names, without schema
     */
    protected Set<String> unwritableTables() {
        return Set.of();
    }

    @Test
    public void theFixtureFillsEveryTenantTableForBothTenants() throws SQLException {
        List<TenantTable> tables = tenantTables();
        assertThat(tables).extracting(TenantTable::name).describedAs("tenant tables found in the catalog")
                .containsAll(expectedTenantTables());
        for (TenantTable table : tables) {
            assertThat(rowsOf(table, a.tenantId())).describedAs("%s rows of tenant A", table).isPositive();
            assertThat(rowsOf(table, b.tenantId())).describedAs("%s rows of tenant B", table).isPositive();
        }
    }

    @TestFactory
    public Stream<DynamicTest> withoutATenantNoRowIsVisible() throws SQLException {
        return perTable(table -> {
            assertThat(rowsOf(table, a.tenantId()) + rowsOf(table, b.tenantId())).isPositive();
            long visible = RawScope.none().count(app(), "select count(*) from " + table.qualified());
            assertThat(visible).describedAs("%s rows visible with no tenant set", table).isZero();
        });
    }

    @TestFactory
    public Stream<DynamicTest> aTenantSeesExactlyItsOwnRows() throws SQLException {
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
    public Stream<DynamicTest> theSystemScopeSeesBothTenants() throws SQLException {
        return perTable(table -> {
            long both = RawScope.system().count(system(), "select count(*) from " + table.qualified()
                    + " where " + table.tenantColumn() + " in (?, ?)", a.tenantId(), b.tenantId());
            long ofA = rowsOf(table, a.tenantId());
            long ofB = rowsOf(table, b.tenantId());
            assertThat(ofA).isPositive();
            assertThat(ofB).isPositive();
            assertThat(both).describedAs("%s rows of A and B in the system scope", table).isEqualTo(ofA + ofB);
        });
    }

    @TestFactory
    public Stream<DynamicTest> aTenantCannotInsertARowOfAnotherTenant() throws SQLException {
        return perTable(table -> {
            List<String> columns = insertableColumns(table);
            // A copy of one of A's rows, relabelled as B's: valid in every other respect. Read first,
            // then inserted with VALUES (Citus runs an INSERT ... SELECT as a COPY into the shards,
            // which it refuses under row-level security whoever the row's tenant). A table the role
            // may not insert into at all (a counter moved only by its function) gets a bare insert,
            // refused for its privilege alone.
            SQLException error = Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a.tenantId()).rollback(app(), c -> {
                if (columns.isEmpty()) {
                    return Sql.update(c, "insert into " + table.qualified() + " (" + table.tenantColumn() + ") values (?::uuid)",
                            b.tenantId().toString());
                }
                String copy = Sql.strings(c, "select (to_jsonb(x) || jsonb_build_object('" + table.tenantColumn() + "', ?::text))::text"
                        + " from " + table.qualified() + " x limit 1", b.tenantId().toString()).getFirst();
                String values = columns.stream().map(column -> "(jsonb_populate_record(null::" + table.qualified() + ", ?::jsonb))."
                        + column).collect(Collectors.joining(", "));
                return Sql.update(c, "insert into " + table.qualified() + " (" + String.join(", ", columns) + ") values (" + values
                        + ")", java.util.Collections.nCopies(columns.size(), copy).toArray());
            }));
            assertThat(error.getMessage()).contains(unwritableTables().contains(table.name())
                    ? "permission denied" : ROW_LEVEL_SECURITY_REFUSAL);
        });
    }

    @TestFactory
    public Stream<DynamicTest> aTenantCannotMoveItsRowsToAnotherTenant() throws SQLException {
        return perTable(this::assertRowsCannotMoveToAnotherTenant);
    }

    /**
     * Checks that A cannot relabel its rows of the table as B's. By default row-level security refuses
     * (an append-only table refuses the UPDATE itself); a subclass overrides this for tables whose own
     * rules refuse first.
     *
     * @param table the table
     * @throws Exception if the check fails
     */
    protected void assertRowsCannotMoveToAnotherTenant(TenantTable table) throws Exception {
        String refusal = appendOnlyTables().contains(table.name()) || unwritableTables().contains(table.name())
                ? "permission denied" : ROW_LEVEL_SECURITY_REFUSAL;
        if (citus() && table.tenantColumn().equals("tenant_id")) {
            // Citus refuses any change of the distribution column while it plans the statement on the
            // coordinator, before privileges or a policy are checked (Sentinel's exception translation
            // makes it a TenantMismatchException).
            assertThat(moveToTenantB(table, "", CITUS_UNSUPPORTED).getMessage()).contains(CITUS_TENANT_CHANGE);
            return;
        }
        assertThat(moveToTenantB(table, "", Sql.INSUFFICIENT_PRIVILEGE).getMessage()).contains(refusal);
    }

    /** Whether the database is a Citus coordinator, where some refusals come from Citus itself. */
    protected final boolean citus() {
        return ClusterCheck.isCitus(database().adminDataSource());
    }

    /**
     * Tries, scoped to A, to relabel A's rows of a table as B's, and expects it to fail.
     *
     * @param table the table
     * @param where which rows: a {@code where} clause with a leading space, or {@code ""} for all
     * @param sqlState the SQLSTATE of the expected refusal
     * @return the refusal
     */
    protected final SQLException moveToTenantB(TenantTable table, String where, String sqlState) {
        String move = "update " + table.qualified() + " set " + table.tenantColumn() + " = ?" + where;
        return Sql.expectFailure(sqlState, () -> RawScope.tenant(a.tenantId()).probe(app(), move, b.tenantId()));
    }

    @TestFactory
    public Stream<DynamicTest> anotherTenantsRowsCannotBeUpdatedOrDeleted() throws SQLException {
        return perTable(table -> {
            if (appendOnlyTables().contains(table.name()) || unwritableTables().contains(table.name())) {
                return; // not even its own rows can be changed
            }
            long before = rowsOf(table, b.tenantId());
            String where = " where " + table.tenantColumn() + " = ?";
            int updated = RawScope.tenant(a.tenantId()).probe(app(),
                    "update " + table.qualified() + " set " + table.tenantColumn() + " = " + table.tenantColumn() + where,
                    b.tenantId());
            assertThat(before).isPositive();
            assertThat(updated).describedAs("%s rows of B updated while scoped to A", table).isZero();
            String delete = "delete from " + table.qualified() + where;
            boolean mayDelete = RawScope.none().rollback(app(), c -> Sql.strings(c,
                    "select has_table_privilege(?, 'DELETE')::text", table.qualified())).getFirst().equals("true");
            if (mayDelete) {
                int deleted = RawScope.tenant(a.tenantId()).probe(app(), delete, b.tenantId());
                assertThat(deleted).describedAs("%s rows of B deleted while scoped to A", table).isZero();
            } else {
                // Updatable but not deletable (counters on a Citus coordinator, moved by their function as the caller).
                Sql.expectFailure(Sql.INSUFFICIENT_PRIVILEGE, () -> RawScope.tenant(a.tenantId()).probe(app(), delete, b.tenantId()));
            }
            assertThat(rowsOf(table, b.tenantId())).describedAs("%s rows of B", table).isEqualTo(before);
        });
    }

    @TestFactory
    public Stream<DynamicTest> noCompositeForeignKeyCanPointIntoAnotherTenant() throws SQLException {
        List<ForeignKey> betweenTenantTables;
        try (Connection connection = app().getConnection()) {
            // A module's keys may point into the kernel's tenant tables too (tenant_members).
            Set<String> referenceable = Stream.concat(Catalog.tenantTables(connection, Catalog.KERNEL).stream(),
                            Catalog.tenantTables(connection, schema).stream())
                    .filter(table -> table.tenantColumn().equals("tenant_id")).map(TenantTable::qualified)
                    .collect(Collectors.toSet());
            betweenTenantTables = Catalog.foreignKeys(connection, schema).stream()
                    .filter(fk -> referenceable.contains(fk.referencedTable())).toList();
        }
        assertThat(betweenTenantTables).extracting(ForeignKey::name).describedAs("found in the catalog")
                .containsAll(expectedCrossTenantKeys());
        return betweenTenantTables.stream().map(fk -> DynamicTest.dynamicTest(fk.name(), () -> {
            assertThat(fk.columns()).describedAs("composite, tenant first").hasSizeGreaterThan(1).first().isEqualTo("tenant_id");
            assertThat(fk.referencedColumns()).first().isEqualTo("tenant_id");
            List<String> own = fk.columns().subList(1, fk.columns().size());
            List<String> referenced = fk.referencedColumns().subList(1, fk.referencedColumns().size());
            // Point the first-written of A's rows that has the reference at a row of B whose key does not
            // also exist in A (read first: one tenant per statement, as Citus routes them). The system
            // scope sees both tenants, and the table's own triggers (such as guards of rows that never
            // change) are disabled for the probe, as the owner, so only the foreign key can refuse
            // (on Citus after the settings that let it disable a distributed table's triggers). The
            // probe rolls back.
            boolean citus = citus();
            SQLException error = Sql.expectFailure(Sql.FOREIGN_KEY_VIOLATION,
                    () -> RawScope.system().rollback(database().ownerDataSource(), c -> {
                        try (java.sql.Statement statement = c.createStatement()) {
                            if (citus) {
                                statement.execute(AuditTamper.CITUS_DISABLE_TRIGGERS);
                            }
                            statement.execute("alter table " + fk.table() + " disable trigger user");
                        }
                        String key = "select " + referenced.stream().map(column -> column + "::text").collect(Collectors.joining(
                                " || ',' || ")) + " from " + fk.referencedTable() + " where tenant_id = ?";
                        List<String> ofA = Sql.strings(c, key, a.tenantId());
                        List<String> onlyB = Sql.strings(c, key + " and " + referenced.stream().map(column -> column
                                + " is not null").collect(Collectors.joining(" and ")), b.tenantId()).stream()
                                .filter(k -> !ofA.contains(k)).toList();
                        assertThat(onlyB).describedAs("keys of B that A does not have").isNotEmpty();
                        List<String> types = Sql.strings(c, "select format_type(atttypid, atttypmod) from pg_attribute"
                                + " where attrelid = ?::regclass and attname = any(?) order by array_position(?, attname::text)",
                                fk.referencedTable(), referenced.toArray(String[]::new), referenced.toArray(String[]::new));
                        String[] values = onlyB.getFirst().split(",", -1);
                        String set = java.util.stream.IntStream.range(0, own.size())
                                .mapToObj(i -> "?::" + types.get(i)).collect(Collectors.joining(", "));
                        String sql = "update " + fk.table() + " set (" + String.join(", ", own) + ") = row(" + set + ")"
                                + " where tenant_id = ? and ctid = (select ctid from " + fk.table() + " where tenant_id = ?"
                                + " and (" + String.join(", ", own) + ") is not null order by ctid limit 1)";
                        List<Object> binds = new java.util.ArrayList<>(List.of(values));
                        binds.add(a.tenantId());
                        binds.add(a.tenantId());
                        return Sql.update(c, sql, binds.toArray());
                    }));
            assertThat(error.getMessage()).contains(fk.name());
        }));
    }

    private Stream<DynamicTest> perTable(TableCheck check) throws SQLException {
        return tenantTables().stream().map(table -> DynamicTest.dynamicTest(table.name(), () -> check.run(table)));
    }

    private List<TenantTable> tenantTables() throws SQLException {
        try (Connection connection = app().getConnection()) {
            return Catalog.tenantTables(connection, schema);
        }
    }

    private long rowsOf(TenantTable table, UUID tenant) throws SQLException {
        return RawScope.system().count(system(),
                "select count(*) from " + table.qualified() + " where " + table.tenantColumn() + " = ?", tenant);
    }

    private List<String> insertableColumns(TenantTable table) throws SQLException {
        return RawScope.none().rollback(app(), c -> Sql.strings(c, """
                select attname from pg_attribute
                where attrelid = ?::regclass and attnum > 0 and not attisdropped
                  and attgenerated = '' and attidentity <> 'a'
                  and has_column_privilege(attrelid, attnum, 'INSERT') -- audit_log's own columns are the database's
                order by attnum""", table.qualified()));
    }

    private static String prefixed(String prefix, List<String> columns) {
        return columns.stream().map(column -> prefix + column).collect(Collectors.joining(", "));
    }

    @FunctionalInterface
    private interface TableCheck {
        void run(TenantTable table) throws Exception;
    }
}
