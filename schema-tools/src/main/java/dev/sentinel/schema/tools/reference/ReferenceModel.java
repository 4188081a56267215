package dev.sentinel.schema.tools.reference;

import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.tools.internal.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the reference shows, read from the catalog. Sentinel's conventions (tenant column, root,
 * append-only tables, secret columns, the audit trigger) come from {@link Catalog}, the same
 * definitions the schema linter applies. Everything is sorted in Java, by {@link String#compareTo},
 * so that the output does not depend on the database's collation or on catalog order.
 */
final class ReferenceModel {

    private static final String TABLES = """
            select c.oid::int8 as oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class') as comment,
                   c.relrowsecurity, c.relforcerowsecurity, a.attname as tenant_column
              from pg_class c
              join pg_namespace n on n.oid = c.relnamespace
              left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                   and a.attname = %1$s
             where n.nspname = any(?) and c.relkind in ('r', 'p') and not c.relispartition
               and c.relname <> '%2$s'
            """.formatted(Catalog.tenantColumnSql("n", "c"), SchemaNames.HISTORY_TABLE);

    private static final String COLUMNS = """
            select a.attrelid::int8 as table_oid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type,
                   a.attnotnull, a.attidentity::text as identity, a.attgenerated::text as generated,
                   pg_get_expr(d.adbin, d.adrelid) as default_expr, col_description(a.attrelid, a.attnum) as comment
              from pg_attribute a
              left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where a.attrelid::int8 = any(?) and a.attnum > 0 and not a.attisdropped
            """;

    private static final String UNIQUE = """
            select i.indrelid::int8 as table_oid, ic.relname as name, i.indisprimary, con.oid is not null as is_constraint,
                   i.indkey::int2[]::int4[] as attnums,
                   array(select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts) k
                          order by k) as definitions,
                   pg_get_expr(i.indpred, i.indrelid, true) as predicate, i.indnullsnotdistinct
              from pg_index i
              join pg_class ic on ic.oid = i.indexrelid
              left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
                   and con.contype in ('p', 'u')
             where i.indisunique and i.indrelid::int8 = any(?)
            """;

    private static final String POLICIES = """
            select p.polrelid::int8 as table_oid, p.polname from pg_policy p where p.polrelid::int8 = any(?)
            """;

    /** What a table is to Sentinel. */
    enum Scope {
        /** {@code sentinel.tenants}. */
        ROOT,
        /** Has {@code tenant_id}. */
        TENANT,
        /** Neither. */
        GLOBAL
    }

    record Column(int number, String name, String type, boolean notNull, String identity, String generated,
            String defaultExpression, String comment, boolean secret) {
    }

    /**
     * A primary key or unique constraint or index; {@code columns} holds column names or, for an
     * expression, its text.
     */
    record UniqueKey(String name, boolean primary, boolean constraint, List<String> columns, String predicate,
            boolean nullsNotDistinct) {
    }

    record Table(long oid, String schema, String name, String comment, Scope scope, String tenantColumn,
            boolean rowSecurity, boolean forced, List<String> policies, List<Column> columns, List<UniqueKey> keys,
            List<Catalog.ForeignKey> foreignKeys, List<Catalog.Trigger> triggers) {

        String qualified() {
            return schema + "." + name;
        }

        Column column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
        }

        UniqueKey primaryKey() {
            return keys.stream().filter(UniqueKey::primary).findFirst().orElse(null);
        }

        boolean softDelete() {
            return column("deleted_at") != null;
        }

        List<Catalog.Trigger> auditTriggers() {
            return triggers.stream().filter(Catalog.Trigger::audit).toList();
        }

        boolean appendOnly() {
            return Catalog.appendOnly(schema, name, triggers);
        }
    }

    final List<String> schemas;
    final List<Table> tables;

    private ReferenceModel(List<String> schemas, List<Table> tables) {
        this.schemas = schemas;
        this.tables = tables;
    }

    static ReferenceModel read(Connection connection, List<String> schemas) throws SQLException {
        record Row(long oid, String schema, String name, String comment, boolean rowSecurity, boolean forced,
                String tenantColumn) {
        }
        List<Row> rows = Catalog.query(connection, TABLES, r -> new Row(r.getLong("oid"), r.getString("nspname"),
                r.getString("relname"), r.getString("comment"), r.getBoolean("relrowsecurity"),
                r.getBoolean("relforcerowsecurity"), r.getString("tenant_column")), (Object) schemas.toArray(String[]::new));
        Long[] oids = rows.stream().map(Row::oid).toArray(Long[]::new);
        Map<Long, List<String>> secrets = Catalog.secretColumns(connection, oids);
        Map<Long, List<Catalog.Trigger>> triggers = Catalog.triggers(connection, oids);
        Map<Long, List<Column>> columns = new LinkedHashMap<>();
        for (Object[] row : Catalog.query(connection, COLUMNS, r -> new Object[] {r.getLong("table_oid"),
                new Column(r.getInt("attnum"), r.getString("attname"), r.getString("type"), r.getBoolean("attnotnull"),
                        r.getString("identity"), r.getString("generated"), r.getString("default_expr"),
                        r.getString("comment"), false)}, (Object) oids)) {
            long table = (Long) row[0];
            Column column = (Column) row[1];
            boolean secret = secrets.getOrDefault(table, List.of()).contains(column.name());
            columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new Column(column.number(), column.name(),
                    column.type(), column.notNull(), column.identity(), column.generated(), column.defaultExpression(),
                    column.comment(), secret));
        }
        Map<Long, List<Object[]>> uniqueRows = new LinkedHashMap<>();
        for (Object[] row : Catalog.query(connection, UNIQUE, r -> new Object[] {r.getLong("table_oid"),
                r.getString("name"), r.getBoolean("indisprimary"), r.getBoolean("is_constraint"),
                Catalog.ints(r.getArray("attnums")), Catalog.strings(r.getArray("definitions")),
                r.getString("predicate"), r.getBoolean("indnullsnotdistinct")}, (Object) oids)) {
            uniqueRows.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add(row);
        }
        Map<Long, List<String>> policies = new LinkedHashMap<>();
        for (Object[] row : Catalog.query(connection, POLICIES, r -> new Object[] {r.getLong("table_oid"),
                r.getString("polname")}, (Object) oids)) {
            policies.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        Map<Long, List<Catalog.ForeignKey>> foreignKeys = new LinkedHashMap<>();
        for (Catalog.ForeignKey key : Catalog.foreignKeys(connection, oids)) {
            foreignKeys.computeIfAbsent(key.table(), k -> new ArrayList<>()).add(key);
        }
        List<Table> tables = new ArrayList<>();
        for (Row row : rows) {
            List<Column> tableColumns = new ArrayList<>(columns.getOrDefault(row.oid(), List.of()));
            tableColumns.sort(Comparator.comparingInt(Column::number));
            List<UniqueKey> keys = new ArrayList<>();
            for (Object[] unique : uniqueRows.getOrDefault(row.oid(), List.of())) {
                @SuppressWarnings("unchecked")
                List<Integer> attnums = (List<Integer>) unique[4];
                @SuppressWarnings("unchecked")
                List<String> definitions = (List<String>) unique[5];
                List<String> keyColumns = new ArrayList<>();
                for (int i = 0; i < definitions.size(); i++) {
                    int attnum = i < attnums.size() ? attnums.get(i) : 0;
                    keyColumns.add(attnum == 0 ? definitions.get(i) : tableColumns.stream()
                            .filter(c -> c.number() == attnum).findFirst().map(Column::name).orElse(definitions.get(i)));
                }
                keys.add(new UniqueKey((String) unique[1], (Boolean) unique[2], (Boolean) unique[3], keyColumns,
                        (String) unique[6], (Boolean) unique[7]));
            }
            // The primary key first, then by name.
            keys.sort(Comparator.comparing((UniqueKey k) -> !k.primary()).thenComparing(UniqueKey::name));
            List<String> tablePolicies = new ArrayList<>(policies.getOrDefault(row.oid(), List.of()));
            tablePolicies.sort(Comparator.naturalOrder());
            List<Catalog.ForeignKey> tableKeys = new ArrayList<>(foreignKeys.getOrDefault(row.oid(), List.of()));
            tableKeys.sort(Comparator.comparing(Catalog.ForeignKey::name));
            List<Catalog.Trigger> tableTriggers = new ArrayList<>(triggers.getOrDefault(row.oid(), List.of()));
            tableTriggers.sort(Comparator.comparing(Catalog.Trigger::name));
            Scope scope = row.tenantColumn() == null ? Scope.GLOBAL
                    : Catalog.isRoot(row.schema(), row.name()) ? Scope.ROOT : Scope.TENANT;
            tables.add(new Table(row.oid(), row.schema(), row.name(), row.comment(), scope, row.tenantColumn(),
                    row.rowSecurity(), row.forced(), List.copyOf(tablePolicies), List.copyOf(tableColumns),
                    List.copyOf(keys), List.copyOf(tableKeys), List.copyOf(tableTriggers)));
        }
        tables.sort(Comparator.comparing(Table::schema).thenComparing(Table::name));
        return new ReferenceModel(List.copyOf(schemas), List.copyOf(tables));
    }

    Table table(String schema, String name) {
        return tables.stream().filter(t -> t.schema().equals(schema) && t.name().equals(name)).findFirst().orElse(null);
    }
}
