package dev.sentinel.schema.tools.reference;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes a Markdown reference of migrated schemas, read from the PostgreSQL catalog: per schema a
 * Mermaid {@code erDiagram} (tables with their key columns, foreign keys as relations) and a summary
 * table, then per table its comment, tenant scope, row-level security, soft delete, audit trigger
 * and secret columns, a table of its columns (type, not null, default, key, comment), its primary
 * and unique keys, and its foreign keys with their delete and update actions.
 *
 * <pre>{@code
 * try (Connection connection = ownerDataSource.getConnection()) {
 *     Files.writeString(Path.of("docs/schema-reference.md"),
 *             SchemaReference.markdown(connection, List.of("public")));
 * }
 * }</pre>
 *
 * <p><b>Deterministic.</b> The same catalog gives the same bytes: everything is sorted by name (not
 * in the database's collation), lines end in {@code \n}, and nothing depends on the time, the host
 * or the server's version beyond what the catalog prints, so the file can be committed and a
 * changed schema shows as a diff. What counts as tenant-scoped, audited or secret is decided
 * exactly as the schema linter decides it.
 *
 * <p>It only reads: any role that can see the catalog will do (the owner role, a superuser). The
 * connection is left as it was. Thread-safe: the class has no state.
 */
public final class SchemaReference {

    private static final Pattern SCHEMA = Pattern.compile("[^\\s]{1,63}");

    private SchemaReference() {
    }

    /**
     * Describes the tables of the given schemas.
     *
     * @param connection a connection to the migrated database; left open
     * @param schemas the schemas, in the order the reference shows them (Flyway's history tables
     *     are left out)
     * @return the Markdown, ending in a line break
     * @throws SQLException if the catalog cannot be read
     * @throws IllegalArgumentException if no schema is named, or a name is blank or too long
     */
    public static String markdown(Connection connection, List<String> schemas) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(schemas, "schemas");
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException("SchemaReference: name at least one schema, such as public");
        }
        for (String schema : schemas) {
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("SchemaReference: '" + schema + "' is not a PostgreSQL schema name");
            }
        }
        if (schemas.stream().distinct().count() != schemas.size()) {
            throw new IllegalArgumentException("SchemaReference: schemas " + schemas + " name one schema twice");
        }
        return new MarkdownRenderer(ReferenceModel.read(connection, List.copyOf(schemas))).render();
    }
}
