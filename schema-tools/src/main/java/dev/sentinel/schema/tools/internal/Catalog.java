package dev.sentinel.schema.tools.internal;

import dev.sentinel.schema.SchemaNames;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Sentinel's conventions mean in the PostgreSQL catalog, read in one place so that the schema
 * linter and the schema reference agree: which column holds the tenant, which tables are the root
 * and append-only, which columns are secret, which triggers audit, and the foreign keys.
 *
 * <p>Plain JDBC over a connection the caller owns; nothing here writes. Stateless and thread-safe.
 */
public final class Catalog {

    /** The comment prefix that marks a column as encrypted at rest and redacted from audit diffs. */
    public static final String SECRET_MARKER = "sentinel:secret";

    /**
     * The comment word that marks a column as personal: its values reach audit diffs only as salted
     * commitments, and {@code sentinel.erase_person} may erase them.
     */
    public static final String PERSONAL_MARKER = "sentinel:personal";

    /** The comment marker of a table that is deliberately not audited, followed by the reason. */
    public static final String UNAUDITED_MARKER = "sentinel:unaudited";

    /** The tenant root, {@code sentinel.tenants}: its {@code id} is the tenant id. */
    public static final String ROOT_TABLE = "tenants";

    /** The trigger function that writes audit rows ({@code schema.name}). */
    public static final String AUDIT_FUNCTION = SchemaNames.SCHEMA + ".audit_row";

    /** The trigger function that writes audit rows of a table with personal columns ({@code schema.name}). */
    public static final String AUDIT_PERSONAL_FUNCTION = SchemaNames.SCHEMA + ".audit_personal_row";

    /** The trigger function that makes a table append-only ({@code schema.name}). */
    public static final String REJECT_FUNCTION = SchemaNames.SCHEMA + ".reject_modification";

    /** Sentinel's append-only audit tables, which stay so even if someone drops their trigger. */
    private static final Set<String> AUDIT_TABLES = Set.of(
            SchemaNames.SCHEMA + ".audit_log", SchemaNames.SCHEMA + ".system_audit_log",
            SchemaNames.SCHEMA + ".audit_chain");

    private static final Pattern UNAUDITED_WITH_REASON =
            Pattern.compile("(?s).*\\b" + Pattern.quote(UNAUDITED_MARKER) + "\\s+\\S.*");

    private static final String TRIGGERS = """
            select t.tgrelid::int8 as table_oid, t.tgname, t.tgenabled::text as enabled, t.tgtype::int4 as type,
                   t.tgargs, pn.nspname || '.' || p.proname as function
              from pg_trigger t
              join pg_proc p on p.oid = t.tgfoid
              join pg_namespace pn on pn.oid = p.pronamespace
             where not t.tgisinternal and t.tgrelid::int8 = any(?)
             order by t.tgname
            """;

    private static final String SECRET_COLUMNS = """
            select a.attrelid::int8 as table_oid, a.attname
              from pg_attribute a
              join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass
                   and d.objsubid = a.attnum
             where a.attnum > 0 and not a.attisdropped and d.description like '%1$s%%'
               and a.attrelid::int8 = any(?)
             order by a.attrelid, a.attnum
            """.formatted(SECRET_MARKER);

    // The marker as a word anywhere in the comment, as sentinel.audit_table reads it; a secret
    // column is never personal (audit_table redacts it as a secret).
    private static final String PERSONAL_COLUMNS = """
            select a.attrelid::int8 as table_oid, a.attname
              from pg_attribute a
              join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass
                   and d.objsubid = a.attnum
             where a.attnum > 0 and not a.attisdropped and d.description ~ '(^|\\s)%1$s(\\s|$)'
               and d.description not like '%2$s%%' and a.attrelid::int8 = any(?)
             order by a.attrelid, a.attnum
            """.formatted(PERSONAL_MARKER, SECRET_MARKER);

    private static final String FOREIGN_KEYS = """
            select con.conrelid::int8 as table_oid, con.conname, con.conkey::int4[] as columns,
                   con.confkey::int4[] as referenced, con.confdeltype::text as on_delete,
                   (select array_agg(a.attname::text order by k.ord)
                      from unnest(con.conkey) with ordinality k(attnum, ord)
                      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as column_names,
                   (select array_agg(a.attname::text order by k.ord)
                      from unnest(con.confkey) with ordinality k(attnum, ord)
                      join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as referenced_names,
                   con.confupdtype::text as on_update, con.confdelsetcols::int4[] as delete_set,
                   ref.oid::int8 as referenced_oid, rn.nspname as referenced_schema, ref.relname as referenced_name,
                   ref.oid::regclass::text as referenced_table,
                   (select a.attnum from pg_attribute a
                     where a.attrelid = con.confrelid and a.attnum > 0 and not a.attisdropped
                       and a.attname = %1$s) as referenced_tenant_attnum,
                   %2$s as referenced_root,
                   pg_get_constraintdef(con.oid) as definition
              from pg_constraint con
              join pg_class ref on ref.oid = con.confrelid
              join pg_namespace rn on rn.oid = ref.relnamespace
             where con.contype = 'f' and con.conrelid::int8 = any(?)
             order by con.conname
            """.formatted(tenantColumnSql("rn", "ref"), rootSql("rn", "ref"));

    /** Reads one row. */
    @FunctionalInterface
    public interface RowReader<T> {
        /**
         * Reads the current row.
         *
         * @param row the result set, positioned on the row
         * @return what the row becomes
         * @throws SQLException if a column cannot be read
         */
        T read(ResultSet row) throws SQLException;
    }

    private Catalog() {
    }

    /**
     * Runs a query and reads every row.
     *
     * @param connection the connection
     * @param sql the query, with {@code ?} parameters
     * @param reader reads one row
     * @param parameters the parameters: strings, booleans, numbers, {@code String[]} as {@code text[]},
     *     {@code Long[]} as {@code int8[]}
     * @param <T> what a row becomes
     * @return the rows, in order
     * @throws SQLException if the query fails
     */
    public static <T> List<T> query(Connection connection, String sql, RowReader<T> reader, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof String[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("text", array));
                } else if (parameter instanceof Long[] array) {
                    statement.setArray(i + 1, connection.createArrayOf("int8", array));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(reader.read(row));
                }
            }
            return rows;
        }
    }

    /**
     * Whether a table is the tenant root, {@code sentinel.tenants}.
     *
     * @param schema the table's schema
     * @param table its name
     * @return true for the root
     */
    public static boolean isRoot(String schema, String table) {
        return SchemaNames.SCHEMA.equals(schema) && ROOT_TABLE.equals(table);
    }

    /**
     * The column that names a table's tenant, if the table has it: {@code id} for the root,
     * {@code tenant_id} for every other table. A table without that column is global.
     *
     * @param schema the table's schema
     * @param table its name
     * @return the column name to look for
     */
    public static String tenantColumn(String schema, String table) {
        return isRoot(schema, table) ? "id" : "tenant_id";
    }

    /**
     * {@link #tenantColumn} as an SQL expression, for catalog queries.
     *
     * @param namespace the alias of the table's {@code pg_namespace} row
     * @param table the alias of its {@code pg_class} row
     * @return an SQL expression of type name
     */
    public static String tenantColumnSql(String namespace, String table) {
        return "case when " + rootSql(namespace, table) + " then 'id' else 'tenant_id' end";
    }

    private static String rootSql(String namespace, String table) {
        return "(" + namespace + ".nspname = '" + SchemaNames.SCHEMA + "' and " + table + ".relname = '" + ROOT_TABLE
                + "')";
    }

    /**
     * Whether a table's comment exempts it from auditing, with a reason.
     *
     * @param comment the table's comment, or null
     * @return true if it holds {@code sentinel:unaudited <reason>}
     */
    public static boolean unaudited(String comment) {
        return comment != null && UNAUDITED_WITH_REASON.matcher(comment).matches();
    }

    /**
     * The reason a table is not audited, as its comment gives it.
     *
     * @param comment the table's comment, or null
     * @return the text after {@code sentinel:unaudited}, trimmed, or null if there is none
     */
    public static String unauditedReason(String comment) {
        if (!unaudited(comment)) {
            return null;
        }
        return comment.substring(comment.indexOf(UNAUDITED_MARKER) + UNAUDITED_MARKER.length()).trim();
    }

    /**
     * Whether a table is append-only: one of Sentinel's audit tables, or a table with a
     * {@code sentinel.reject_modification} trigger.
     *
     * @param schema the table's schema
     * @param table its name
     * @param triggers its triggers
     * @return true if append-only
     */
    public static boolean appendOnly(String schema, String table, List<Trigger> triggers) {
        return AUDIT_TABLES.contains(schema + "." + table)
                || triggers.stream().anyMatch(t -> t.function().equals(REJECT_FUNCTION));
    }

    /**
     * One trigger of a table.
     *
     * @param name its name
     * @param enabled {@code pg_trigger.tgenabled}: O, A (fire), R (replica only) or D (disabled)
     * @param type {@code pg_trigger.tgtype}
     * @param arguments its arguments
     * @param function the function it executes, {@code schema.name}
     */
    public record Trigger(String name, String enabled, int type, List<String> arguments, String function) {

        // pg_trigger.tgtype bits (PostgreSQL's trigger.h).
        /** Fires for each row (else for each statement). */
        public static final int ROW = 1;
        /** Fires before the event. */
        public static final int BEFORE = 2;
        /** Fires on INSERT. */
        public static final int INSERT = 4;
        /** Fires on DELETE. */
        public static final int DELETE = 8;
        /** Fires on UPDATE. */
        public static final int UPDATE = 16;
        /** Fires on TRUNCATE. */
        public static final int TRUNCATE = 32;
        /** Fires instead of the event (views). */
        public static final int INSTEAD = 64;

        /** Copies the arguments. */
        public Trigger {
            arguments = List.copyOf(arguments);
        }

        /**
         * Whether the trigger fires in a normal session.
         *
         * @return true if enabled (origin or always)
         */
        public boolean fires() {
            return "O".equals(enabled) || "A".equals(enabled);
        }

        /**
         * Whether a bit of {@link #type} is set.
         *
         * @param bit one of the constants
         * @return true if set
         */
        public boolean on(int bit) {
            return (type & bit) != 0;
        }

        /**
         * Whether this is an audit trigger (it calls {@link #AUDIT_FUNCTION} or
         * {@link #AUDIT_PERSONAL_FUNCTION}), enabled or not.
         *
         * @return true if it calls an audit function
         */
        public boolean audit() {
            return function.equals(AUDIT_FUNCTION) || function.equals(AUDIT_PERSONAL_FUNCTION);
        }
    }

    /**
     * Reads the triggers of tables, internal ones (foreign keys) left out.
     *
     * @param connection the connection
     * @param oids the tables
     * @return each table's triggers by name, by oid
     * @throws SQLException if the catalog cannot be read
     */
    public static Map<Long, List<Trigger>> triggers(Connection connection, Long[] oids) throws SQLException {
        Map<Long, List<Trigger>> result = new LinkedHashMap<>();
        for (Object[] row : query(connection, TRIGGERS, r -> new Object[] {r.getLong("table_oid"),
                new Trigger(r.getString("tgname"), r.getString("enabled"), r.getInt("type"),
                        arguments(r.getBytes("tgargs")), r.getString("function"))}, (Object) oids)) {
            result.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((Trigger) row[1]);
        }
        return result;
    }

    /**
     * The secret columns (commented {@code sentinel:secret}) of tables, in column order.
     *
     * @param connection the connection
     * @param oids the tables
     * @return each table's secret columns, by oid
     * @throws SQLException if the catalog cannot be read
     */
    public static Map<Long, List<String>> secretColumns(Connection connection, Long[] oids) throws SQLException {
        Map<Long, List<String>> result = new LinkedHashMap<>();
        for (Object[] row : query(connection, SECRET_COLUMNS, r -> new Object[] {r.getLong("table_oid"),
                r.getString("attname")}, (Object) oids)) {
            result.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return result;
    }

    /**
     * The personal columns (the word {@code sentinel:personal} in the comment, not secret) of tables,
     * in column order.
     *
     * @param connection the connection
     * @param oids the tables
     * @return each table's personal columns, by oid
     * @throws SQLException if the catalog cannot be read
     */
    public static Map<Long, List<String>> personalColumns(Connection connection, Long[] oids) throws SQLException {
        Map<Long, List<String>> result = new LinkedHashMap<>();
        for (Object[] row : query(connection, PERSONAL_COLUMNS, r -> new Object[] {r.getLong("table_oid"),
                r.getString("attname")}, (Object) oids)) {
            result.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return result;
    }

    /**
     * One foreign key.
     *
     * @param table the referencing table's oid
     * @param name the constraint's name
     * @param columns the referencing columns' numbers, in key order
     * @param referenced the referenced columns' numbers, in key order
     * @param columnNames the referencing columns' names, in key order
     * @param referencedNames the referenced columns' names, in key order
     * @param onDelete {@code pg_constraint.confdeltype}: a (no action), r (restrict), c (cascade),
     *     n (set null), d (set default)
     * @param onUpdate {@code pg_constraint.confupdtype}, the same codes
     * @param deleteSet the column numbers a {@code SET NULL (...)} or {@code SET DEFAULT (...)}
     *     names, empty for all the key's columns
     * @param referencedOid the referenced table's oid
     * @param referencedSchema its schema
     * @param referencedName its name
     * @param referencedTable its name as {@code regclass} prints it
     * @param referencedTenant the number of the referenced table's tenant column, 0 if it has none
     * @param referencedRoot whether it references the tenant root
     * @param definition {@code pg_get_constraintdef}
     */
    public record ForeignKey(long table, String name, List<Integer> columns, List<Integer> referenced,
            List<String> columnNames, List<String> referencedNames, String onDelete, String onUpdate, List<Integer> deleteSet, long referencedOid, String referencedSchema,
            String referencedName, String referencedTable, int referencedTenant, boolean referencedRoot,
            String definition) {

        /** Copies the lists. */
        public ForeignKey {
            columns = List.copyOf(columns);
            referenced = List.copyOf(referenced);
            columnNames = List.copyOf(columnNames);
            referencedNames = List.copyOf(referencedNames);
            deleteSet = List.copyOf(deleteSet);
        }

        /**
         * A referential action code in words, as SQL writes it.
         *
         * @param code a {@code confdeltype} or {@code confupdtype} code
         * @return {@code no action}, {@code restrict}, {@code cascade}, {@code set null} or
         *     {@code set default}
         */
        public static String action(String code) {
            return switch (code) {
                case "r" -> "restrict";
                case "c" -> "cascade";
                case "n" -> "set null";
                case "d" -> "set default";
                default -> "no action";
            };
        }
    }

    /**
     * Reads the foreign keys of tables.
     *
     * @param connection the connection
     * @param oids the referencing tables
     * @return the keys, by constraint name
     * @throws SQLException if the catalog cannot be read
     */
    public static List<ForeignKey> foreignKeys(Connection connection, Long[] oids) throws SQLException {
        return query(connection, FOREIGN_KEYS, row -> new ForeignKey(row.getLong("table_oid"),
                row.getString("conname"), ints(row.getArray("columns")), ints(row.getArray("referenced")),
                strings(row.getArray("column_names")), strings(row.getArray("referenced_names")),
                row.getString("on_delete"), row.getString("on_update"), ints(row.getArray("delete_set")),
                row.getLong("referenced_oid"), row.getString("referenced_schema"), row.getString("referenced_name"),
                row.getString("referenced_table"), row.getInt("referenced_tenant_attnum"),
                row.getBoolean("referenced_root"), row.getString("definition")), (Object) oids);
    }

    /**
     * An {@code int4[]} column as a list.
     *
     * @param array the array, or null
     * @return its elements, empty for null
     * @throws SQLException if it cannot be read
     */
    public static List<Integer> ints(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Integer> result = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            result.add(((Number) value).intValue());
        }
        return result;
    }

    /**
     * A {@code text[]} column as a list.
     *
     * @param array the array, or null
     * @return its elements, empty for null
     * @throws SQLException if it cannot be read
     */
    public static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            result.add((String) value);
        }
        return result;
    }

    /** Trigger arguments as PostgreSQL stores them: each one followed by a NUL byte. */
    private static List<String> arguments(byte[] raw) {
        List<String> result = new ArrayList<>();
        if (raw == null) {
            return result;
        }
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                result.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return result;
    }
}
