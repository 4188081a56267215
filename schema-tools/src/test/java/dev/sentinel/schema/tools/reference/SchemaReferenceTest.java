package dev.sentinel.schema.tools.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.schema.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema reference of a service schema that exercises every part of it
 * ({@code reference-fixture}), and of Sentinel's own schema: what it says about scope, soft delete,
 * audit, secrets and keys, that it names every table and foreign key of the catalog, and that the
 * same migrations give the same bytes in another database.
 */
class SchemaReferenceTest {

    private static final TestServer SERVER = TestServer.get();
    private static String database;

    @BeforeAll
    static void migrate() {
        database = SERVER.databaseWith("classpath:reference-fixture");
    }

    @AfterAll
    static void drop() {
        SERVER.drop(database);
    }

    private static String reference(String db, String... schemas) throws SQLException {
        try (Connection connection = SERVER.owner(db).getConnection()) {
            return SchemaReference.markdown(connection, List.of(schemas));
        }
    }

    @Test
    void theSameMigrationsInAnotherDatabaseGiveTheSameBytes() throws SQLException {
        String other = SERVER.databaseWith("classpath:reference-fixture");
        try {
            // Another database: other oids, the same catalog contents.
            assertThat(reference(other, "sentinel", "public")).isEqualTo(reference(database, "sentinel", "public"));
        } finally {
            SERVER.drop(other);
        }
    }

    @Test
    void theDiagramShowsKeysAndRelationsButNotTheTenantLinks() throws SQLException {
        String markdown = reference(database, "public");

        assertThat(markdown).contains("""
                ```mermaid
                erDiagram
                    Project {
                        uuid tenant_id PK, FK
                        uuid id PK
                    }
                """)
                .describedAs("a nullable foreign key outside the primary key: zero or one parent, a dotted line")
                .contains("    Project |o..o{ tasks : \"project_id\"\n")
                .describedAs("a table of another schema is named with its schema")
                .contains("    \"sentinel.users\"\n", "    \"sentinel.users\" |o..o{ settings : \"updated_by\"\n")
                .describedAs("every tenant table references sentinel.tenants; the diagram leaves those out")
                .doesNotContain("sentinel.tenants\" |", "tenants ||");
    }

    @Test
    void eachTableSaysItsScopeSoftDeleteAuditAndSecrets() throws SQLException {
        String markdown = reference(database, "public");

        assertThat(markdown)
                .contains("| [`Project`](#publicproject) | tenant | yes | yes |  | A project of a tenant. |")
                .contains("| [`events`](#publicevents) | tenant |  | no, append-only |  |  |")
                .contains("| [`settings`](#publicsettings) | global |  | no |  | Global settings. |")
                .contains("| [`tasks`](#publictasks) | tenant |  | yes | `api_token` |  |")
                .contains("""
                        ### `public.Project`

                        A project of a tenant. Archived projects stay &lt;visible&gt;.

                        - **Scope**: tenant, by `tenant_id`.
                        - **Row-level security**: enabled and forced; policies `system_scope`, `tenant_scope`.
                        - **Soft delete**: yes (`deleted_at`, `deleted_by`, `delete_reason`).
                        - **Audit**: every insert, update and delete writes an audit row (trigger `sentinel_audit`, trigger `sentinel_audit_insert`).
                        - **Secret columns**: none.
                        """)
                .contains("- **Audit**: not audited: rebuilt from the configuration on every start.")
                .contains("- **Audit**: no audit trigger; append-only: updates, deletes and truncates are rejected.")
                .contains("- **Scope**: global: no `tenant_id`, rows belong to no tenant.")
                .contains("- **Secret columns**: `api_token`.");
    }

    @Test
    void columnsShowTypesDefaultsKeysAndEscapedComments() throws SQLException {
        String markdown = reference(database, "public");

        assertThat(markdown)
                .contains("| `status` | `\"ProjectStatus\"` | yes | `'ACTIVE'::\"ProjectStatus\"` |  |  |")
                .contains("| `settings` | `jsonb` | yes | `'{}'::jsonb` |  | Free-form \\*settings\\*, as JSON. |")
                .contains("| `createdAt` | `timestamp(3) with time zone` | yes | `CURRENT_TIMESTAMP` |  |  |")
                .contains("| `id` | `bigint` | yes | identity (always) | PK |  |")
                .describedAs("a | in a comment would end the table cell")
                .contains("| `api_token` | `text` |  |  |  | sentinel:secret The token of the task's \\| webhook. |")
                .contains("- unique index `Project_name_live_key`: (`tenant_id`, `lower(name)`) where"
                        + " `deleted_at IS NULL`");
    }

    @Test
    void foreignKeysShowTheirActionsAndLinkToTheReferencedTable() throws SQLException {
        String markdown = reference(database, "public");

        assertThat(markdown)
                .contains("| `tasks_project_fkey` | `tenant_id`, `project_id` | [`public.Project`](#publicproject)"
                        + " (`tenant_id`, `id`) | set null (`project_id`) | no action |")
                .contains("| `settings_updated_by_fkey` | `updated_by` | `sentinel.users` (`id`) | set null | no action |")
                .contains("| `Project_tenant_id_fkey` | `tenant_id` | `sentinel.tenants` (`id`) | restrict | no action |");
    }

    @Test
    void everyTableAndForeignKeyOfTheCatalogAppears() throws SQLException {
        String markdown = reference(database, "sentinel", "public");

        List<String[]> tables = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        try (Connection connection = SERVER.owner(database).getConnection();
                var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("select table_schema, table_name from information_schema.tables"
                    + " where table_schema in ('sentinel', 'public') and table_type = 'BASE TABLE'"
                    + " and table_name <> 'flyway_schema_history'")) {
                while (rows.next()) {
                    tables.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
            try (var rows = statement.executeQuery("select n.nspname, c.relname, k.conname from pg_constraint k"
                    + " join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " where k.contype = 'f' and n.nspname in ('sentinel', 'public')")) {
                while (rows.next()) {
                    keys.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                }
            }
        }

        assertThat(tables).describedAs("the kernel and the fixture have twenty-odd tables").hasSizeGreaterThan(20);
        for (String[] table : tables) {
            assertThat(markdown).contains("\n### `" + table[0] + "." + table[1] + "`\n");
        }
        assertThat(keys).describedAs("and as many foreign keys").hasSizeGreaterThan(20);
        for (String[] key : keys) {
            String section = markdown.substring(markdown.indexOf("\n### `" + key[0] + "." + key[1] + "`\n"));
            int end = section.indexOf("\n### ", 1);
            assertThat(end < 0 ? section : section.substring(0, end))
                    .describedAs("the section of %s.%s lists its foreign key %s", key[0], key[1], key[2])
                    .contains("\n| `" + key[2] + "` |");
        }
    }

    @Test
    void refusesAnEmptyOrRepeatedListOfSchemas() throws SQLException {
        try (Connection connection = SERVER.owner(database).getConnection()) {
            assertThatThrownBy(() -> SchemaReference.markdown(connection, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one schema");
            assertThatThrownBy(() -> SchemaReference.markdown(connection, List.of("public", "public")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        }
    }
}
