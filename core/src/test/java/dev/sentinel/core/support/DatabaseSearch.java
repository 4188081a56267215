package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A search of a whole database for a text, driven by the catalog: what the erasure tests of the
 * kernel and the modules use to prove that a person's values are gone from every table.
 */
public final class DatabaseSearch {

    private DatabaseSearch() {
    }

    /**
     * Where a text occurs, ignoring case, in the whole database: every column of a string type
     * (text, varchar, char), json, jsonb or an array of those, of every table in every schema but
     * the system catalogs, read as a superuser (row-level security does not apply to one).
     *
     * @param admin connections as a superuser
     * @param text the text to look for
     * @return the columns where it occurs, as schema.table.column, with the number of rows
     * @throws SQLException if a query fails
     */
    public static Map<String, Long> find(DataSource admin, String text) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        select n.nspname, c.relname, a.attname
                          from pg_attribute a
                          join pg_class c on c.oid = a.attrelid
                          join pg_namespace n on n.oid = c.relnamespace
                          join pg_type t on t.oid = a.atttypid
                          left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
                         where c.relkind in ('r', 'p', 'm') and a.attnum > 0 and not a.attisdropped
                           and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
                           and (t.typcategory = 'S' or t.typname in ('json', 'jsonb')
                                or e.typcategory = 'S' or e.typname in ('json', 'jsonb'))
                         order by 1, 2, 3
                        """)) {
            while (rows.next()) {
                columns.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
        }
        assertThat(columns).describedAs("the search covers the trails and the side tables")
                .anyMatch(c -> c[1].equals("audit_log") && c[2].equals("diff"))
                .anyMatch(c -> c[1].equals("audit_personal_values") && c[2].equals("committed"));
        // One statement: a count per column, those with a match kept.
        List<String> counts = new ArrayList<>();
        for (String[] column : columns) {
            counts.add("select " + literal(column[0] + "." + column[1] + "." + column[2]) + ", count(*) from " + ident(column[0])
                    + "." + ident(column[1]) + " where strpos(lower(" + ident(column[2]) + "::text), $1) > 0");
        }
        Map<String, Long> found = new TreeMap<>();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("prepare search(text) as select * from (" + String.join(" union all ", counts) + ") c where count > 0");
            try (ResultSet rows = statement.executeQuery("execute search(" + literal(text.toLowerCase(java.util.Locale.ROOT)) + ")")) {
                while (rows.next()) {
                    found.put(rows.getString(1), rows.getLong(2));
                }
            }
            statement.execute("deallocate search");
        }
        return found;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
