package dev.sentinel.core.support;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the PostgreSQL catalog says about one schema ({@code sentinel}, the kernel's, or a module's
 * such as {@code agency}), so that the tests cover every table that exists rather than a list that
 * can fall behind the migrations.
 */
public final class Catalog {

    /** The kernel's schema. */
    public static final String KERNEL = "sentinel";

    private Catalog() {
    }

    /**
     * A table whose rows belong to a tenant: {@code sentinel.tenants} itself (keyed by {@code id}) or
     * a table with a {@code tenant_id} column.
     *
     * @param schema the table's schema
     * @param name the table name, without schema
     * @param tenantColumn the column that holds the tenant's id
     */
    public record TenantTable(String schema, String name, String tenantColumn) {
        /**
         * The schema-qualified name.
         *
         * @return {@code <schema>.<name>}
         */
        public String qualified() {
            return schema + "." + name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A foreign key.
     *
     * @param name the constraint name
     * @param table the referencing table, schema-qualified
     * @param columns the referencing columns, in key order
     * @param referencedTable the referenced table, schema-qualified (it may be in another schema)
     * @param referencedColumns the referenced columns, in key order
     * @param onDelete {@code pg_constraint.confdeltype}: a (no action), r (restrict), c (cascade), n (set null), d (set default)
     * @param setNullColumns the columns of {@code ON DELETE SET NULL (...)}; empty when all are nulled
     */
    public record ForeignKey(String name, String table, List<String> columns, String referencedTable,
            List<String> referencedColumns, String onDelete, List<String> setNullColumns) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Every tenant table of a schema: for the kernel's, {@code tenants} first; then the tables with a
     * {@code tenant_id} column, by name.
     *
     * @param connection any connection to the database
     * @param schema the schema
     * @return the tables
     * @throws SQLException if the catalog query fails
     */
    public static List<TenantTable> tenantTables(Connection connection, String schema) throws SQLException {
        List<TenantTable> tables = new ArrayList<>();
        if (schema.equals(KERNEL)) {
            tables.add(new TenantTable(KERNEL, "tenants", "id"));
        }
        for (String name : Sql.strings(connection, """
                select c.relname from pg_class c
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p')
                  and exists (select from pg_attribute a
                              where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
                order by c.relname""", schema)) {
            tables.add(new TenantTable(schema, name, "tenant_id"));
        }
        return tables;
    }

    /**
     * Every global table of a schema: no {@code tenant_id}, not {@code tenants}, not a Flyway history.
     *
     * @param connection any connection to the database
     * @param schema the schema
     * @return the table names, without schema, sorted
     * @throws SQLException if the catalog query fails
     */
    public static List<String> globalTables(Connection connection, String schema) throws SQLException {
        return Sql.strings(connection, """
                select c.relname from pg_class c
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p')
                  and not (n.nspname = 'sentinel' and c.relname = 'tenants')
                  and c.relname <> 'flyway_schema_history'
                  and not exists (select from pg_attribute a
                                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
                order by c.relname""", schema);
    }

    /**
     * Every foreign key whose referencing table is in the schema.
     *
     * @param connection any connection to the database
     * @param schema the schema
     * @return the keys, sorted by name
     * @throws SQLException if the catalog query fails
     */
    public static List<ForeignKey> foreignKeys(Connection connection, String schema) throws SQLException {
        String sql = """
                select con.conname, n.nspname || '.' || src.relname, refn.nspname || '.' || ref.relname,
                       array(select a.attname from unnest(con.conkey) with ordinality k(num, ord)
                             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord),
                       array(select a.attname from unnest(con.confkey) with ordinality k(num, ord)
                             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord),
                       con.confdeltype,
                       array(select a.attname from unnest(con.confdelsetcols) with ordinality k(num, ord)
                             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord)
                from pg_constraint con
                join pg_class src on src.oid = con.conrelid
                join pg_namespace n on n.oid = src.relnamespace
                join pg_class ref on ref.oid = con.confrelid
                join pg_namespace refn on refn.oid = ref.relnamespace
                where con.contype = 'f' and n.nspname = ?
                order by con.conname""";
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(new ForeignKey(rows.getString(1), rows.getString(2), names(rows.getArray(4)),
                            rows.getString(3), names(rows.getArray(5)), rows.getString(6), names(rows.getArray(7))));
                }
            }
        }
        return keys;
    }

    private static List<String> names(Array array) throws SQLException {
        try {
            return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
        } finally {
            array.free();
        }
    }
}
