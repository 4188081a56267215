package dev.sentinel.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.tools.reference.SchemaReference;
import dev.sentinel.testing.SentinelDatabase;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed reference of Sentinel's schema, {@code docs/schema-reference.md}, against the
 * migrated catalog: it must be exactly what {@link SchemaReference} writes from it (core's build
 * writes the same file to {@code target/schema-reference.md} with the codegen plugin), and, read
 * independently of that code, it must name every table and every foreign key of the catalog.
 */
class SchemaReferenceTest {

    /** The one command that rewrites the committed file; named by the failure message and the README. */
    static final String REGENERATE = "./mvnw -q -pl core -am package -DskipTests -Dsentinel.updateReference";

    private static final Path COMMITTED = Path.of("..", "docs", "schema-reference.md");

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static String committed() throws IOException {
        return Files.readString(COMMITTED, StandardCharsets.UTF_8);
    }

    @Test
    void theCommittedReferenceIsWhatTheCatalogProduces() throws Exception {
        String generated;
        try (Connection connection = db.ownerDataSource().getConnection()) {
            generated = SchemaReference.markdown(connection, List.of(SchemaNames.SCHEMA));
        }

        String committed = committed();
        if (!committed.equals(generated)) {
            // The whole file is 70 kB; name the first difference and the fix rather than print both.
            fail("docs/schema-reference.md differs from what Sentinel's migrations produce "
                    + firstDifference(committed, generated) + ". Regenerate it with: " + REGENERATE);
        }
    }

    /** Where two texts first differ, by line. */
    static String firstDifference(String committed, String generated) {
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

    @Test
    void everyTableAndForeignKeyOfTheCatalogAppears() throws Exception {
        String reference = committed();
        List<String> tables = query("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = 'sentinel' and c.relkind in ('r', 'p') and c.relname <> 'flyway_schema_history'");
        List<String> keys = query("select c.relname || ' ' || k.conname from pg_constraint k"
                + " join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = 'sentinel' and k.contype = 'f'");

        assertThat(tables).contains("tenants", "users", "audit_log", "jobs", "number_counters");
        for (String table : tables) {
            assertThat(reference).describedAs("docs/schema-reference.md describes sentinel.%s; regenerate it with: %s",
                    table, REGENERATE).contains("\n### `sentinel." + table + "`\n");
        }
        assertThat(keys).hasSizeGreaterThan(15);
        for (String key : keys) {
            String table = key.substring(0, key.indexOf(' '));
            String name = key.substring(key.indexOf(' ') + 1);
            assertThat(section(reference, table))
                    .describedAs("the section of sentinel.%s lists its foreign key %s; regenerate with: %s", table, name,
                            REGENERATE)
                    .contains("\n| `" + name + "` | ");
        }
    }

    /** The part of the reference about one table: from its heading to the next. */
    private static String section(String reference, String table) {
        int start = reference.indexOf("\n### `sentinel." + table + "`\n");
        assertThat(start).describedAs("a section for sentinel.%s", table).isNotNegative();
        int end = reference.indexOf("\n### ", start + 1);
        return end < 0 ? reference.substring(start) : reference.substring(start, end);
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.ownerDataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }
}
