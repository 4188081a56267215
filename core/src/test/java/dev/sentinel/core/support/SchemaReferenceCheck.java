package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.schema.tools.reference.SchemaReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks a committed Markdown reference of one schema (the kernel's {@code docs/schema-reference.md},
 * the agency's {@code docs/agency-schema-reference.md}) against the migrated catalog: it must be
 * exactly what {@link SchemaReference} writes (the module's build writes the same file with the codegen
 * plugin), and, read independently of that code, it must name every table and foreign key.
 *
 * @param schema the schema the file describes
 * @param committed the committed file
 * @param regenerate the one command that rewrites it, named by every failure
 */
public record SchemaReferenceCheck(String schema, Path committed, String regenerate) {

    /**
     * The committed file is what the catalog produces.
     *
     * @param owner connections to the migrated database
     * @throws Exception if the catalog or the file cannot be read
     */
    public void isWhatTheCatalogProduces(DataSource owner) throws Exception {
        String generated;
        try (Connection connection = owner.getConnection()) {
            generated = SchemaReference.markdown(connection, List.of(schema));
        }
        String text = text();
        if (ClusterCheck.isCitus(owner)) {
            // The committed file is plain PostgreSQL's catalog. On a Citus coordinator an audited table has the
            // one row trigger instead of the pair (Citus fires no statement trigger on its tables, kernel V24);
            // that difference, and no other, is by design.
            text = text.replace("(trigger `sentinel_audit`, trigger `sentinel_audit_insert`)", "(trigger `sentinel_audit`)");
        }
        if (!text.equals(generated)) {
            // The whole file is tens of kB; name the first difference and the fix rather than print both.
            fail(committed + " differs from what the migrations produce " + firstDifference(text, generated)
                    + ". Regenerate it with: " + regenerate);
        }
    }

    /**
     * Every table and every foreign key of the schema appears in the committed file.
     *
     * @param owner connections to the migrated database
     * @param someTables tables that must be among them, so an empty catalog cannot pass
     * @throws Exception if the catalog or the file cannot be read
     */
    public void namesEveryTableAndForeignKey(DataSource owner, String... someTables) throws Exception {
        String reference = text();
        List<String> tables = query(owner, "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = '" + schema + "' and c.relkind in ('r', 'p') and c.relname <> 'flyway_schema_history'");
        List<String> keys = query(owner, "select c.relname || ' ' || k.conname from pg_constraint k"
                + " join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = '" + schema + "' and k.contype = 'f'");

        assertThat(tables).contains(someTables);
        for (String table : tables) {
            assertThat(reference).describedAs("%s describes %s.%s; regenerate it with: %s", committed, schema, table,
                    regenerate).contains("\n### `" + schema + "." + table + "`\n");
        }
        assertThat(keys).describedAs("foreign keys of %s", schema).isNotEmpty();
        for (String key : keys) {
            String table = key.substring(0, key.indexOf(' '));
            String name = key.substring(key.indexOf(' ') + 1);
            assertThat(section(reference, table))
                    .describedAs("the section of %s.%s lists its foreign key %s; regenerate with: %s", schema, table, name,
                            regenerate)
                    .contains("\n| `" + name + "` | ");
        }
    }

    /**
     * Where two texts first differ, by line.
     *
     * @param committed one text
     * @param generated the other
     * @return a phrase naming the line and both versions of it
     */
    public static String firstDifference(String committed, String generated) {
        String[] left = committed.split("\n", -1);
        String[] right = generated.split("\n", -1);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            String a = i < left.length ? left[i] : "<end of file>";
            String b = i < right.length ? right[i] : "<end of file>";
            if (!a.equals(b)) {
                return "(first at line " + (i + 1) + ": committed \"" + a + "\", from the catalog \"" + b + "\")";
            }
        }
        return "(in line ends)";
    }

    private String text() throws IOException {
        return Files.readString(committed, StandardCharsets.UTF_8);
    }

    /** The part of the reference about one table: from its heading to the next. */
    private String section(String reference, String table) {
        int start = reference.indexOf("\n### `" + schema + "." + table + "`\n");
        assertThat(start).describedAs("a section for %s.%s", schema, table).isNotNegative();
        int end = reference.indexOf("\n### ", start + 1);
        return end < 0 ? reference.substring(start) : reference.substring(start, end);
    }

    private static List<String> query(DataSource owner, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }
}
