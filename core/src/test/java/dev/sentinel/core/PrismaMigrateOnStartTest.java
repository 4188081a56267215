package dev.sentinel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.schema.InvalidMigrationSourceException;
import dev.sentinel.testing.SentinelDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrate-on-start from a Prisma migrations folder: the fixture history of codegen/it's
 * {@code prisma-tasks} project (quoted CamelCase tables, PostgreSQL enums, jsonb, and a folder with
 * a short timestamp that works only in Prisma's order), applied by {@code Sentinel.builder()} after
 * Sentinel's own migrations, then used through tenant scopes with row-level security and the audit
 * trail. The same folder is what the plugin's fixture build generates classes from.
 */
class PrismaMigrateOnStartTest {

    private static final Path FIXTURE = Path.of("..", "codegen", "it", "src", "it", "prisma-tasks", "prisma", "migrations");

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    @TempDir
    Path temp;

    @Test
    void appliesThePrismaHistoryInPrismasOrderAndItsTablesAreTenantScopedAndAudited() throws Exception {
        try (Sentinel sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).migrateWith(db.ownerDataSource())
                .serviceMigrations("prisma:filesystem:" + FIXTURE).build()) {
            assertThat(query("select version || ' ' || script from public.flyway_schema_history order by installed_rank"))
                    .containsExactly(
                            "20240101093000 20240101093000_init/migration.sql",
                            "20240215120000 20240215120000_add_tasks/migration.sql",
                            "20240299999999.6 202403_task_priority/migration.sql",
                            "20240310080000 20240310080000_add_comments/migration.sql",
                            "20240401000000 20240401000000_project_archived_at/migration.sql",
                            "20240501000000 20240501000000_relations_no_update_cascade/migration.sql");

            UUID acme = Tenants.create(sentinel);
            UUID other = Tenants.create(sentinel);
            Actor alice = Actor.user(UUID.randomUUID());
            UUID project = UUID.randomUUID();
            UUID task = UUID.randomUUID();
            sentinel.tenant(acme, alice).useTransaction(tx -> {
                tx.dsl().execute("insert into \"Project\" (tenant_id, id, name, \"updatedAt\") values (?, ?, ?, now())",
                        acme, project, "Launch");
                tx.dsl().execute("insert into \"Task\" (tenant_id, id, \"projectId\", title) values (?, ?, ?, ?)",
                        acme, task, project, "Write the announcement");
                tx.dsl().execute("insert into \"Comment\" (tenant_id, id, \"taskId\", body, escalation, metadata)"
                        + " values (?, ?, ?, ?, 'URGENT', '{\"via\": \"email\"}'::jsonb)",
                        acme, UUID.randomUUID(), task, "Needed by Friday");
            });

            String priority = sentinel.tenant(acme, alice).inTransaction(tx ->
                    String.valueOf(tx.dsl().fetchValue("select priority::text from \"Task\" where id = ?", task)));
            assertThat(priority).describedAs("the short-timestamp folder's column, with its enum default").isEqualTo("NORMAL");
            int othersSee = sentinel.tenant(other, alice).inTransaction(tx ->
                    ((Number) tx.dsl().fetchValue("select count(*) from \"Task\"")).intValue());
            assertThat(othersSee).describedAs("row-level security on a Prisma table").isZero();
            List<AuditEntry> trail = sentinel.tenant(acme, alice).inTransaction(tx ->
                    tx.audit().list(AuditFilter.all().entity("public.Task", task), 10).entries());
            assertThat(trail).extracting(AuditEntry::action).containsExactly("insert");
        }
    }

    @Test
    void aHistoryForAnotherDatabaseStopsTheStartAndWritesNothing() throws Exception {
        Path copy = temp.resolve("migrations");
        try (Stream<Path> walk = Files.walk(FIXTURE)) {
            for (Path file : walk.sorted().toList()) {
                Path target = copy.resolve(FIXTURE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.writeString(copy.resolve("migration_lock.toml"), "provider = \"sqlserver\"\n");
        List<String> before = query("select tablename from pg_tables where schemaname = 'public' order by 1");

        assertThatThrownBy(() -> Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).migrateWith(db.ownerDataSource())
                .serviceMigrations("prisma:filesystem:" + copy).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Sentinel: serviceMigrations: The Prisma migrations at")
                .hasMessageContaining("were written for sqlserver")
                .hasCauseInstanceOf(InvalidMigrationSourceException.class);
        assertThat(query("select tablename from pg_tables where schemaname = 'public' order by 1")).isEqualTo(before);
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
