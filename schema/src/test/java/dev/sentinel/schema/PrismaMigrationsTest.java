package dev.sentinel.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prisma migrations folder as the service's migrations: applied by {@link Migrations} in Prisma's
 * order, with Flyway's history, and refused before anything is written when it cannot be applied.
 */
class PrismaMigrationsTest {

    private static final TestServer SERVER = TestServer.get();

    @TempDir
    Path root;

    private Path history(String provider) throws IOException {
        Path migrations = root.resolve("prisma/migrations");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("migration_lock.toml"), "provider = \"" + provider + "\"\n");
        folder(migrations, "20240101093000_init", """
                -- CreateTable
                CREATE TABLE "Project" ("id" UUID NOT NULL, "name" TEXT NOT NULL,
                    CONSTRAINT "Project_pkey" PRIMARY KEY ("id"));
                """);
        folder(migrations, "20240215120000_add_tasks", """
                -- CreateTable
                CREATE TABLE "Task" ("id" UUID NOT NULL, "projectId" UUID NOT NULL,
                    CONSTRAINT "Task_pkey" PRIMARY KEY ("id"));
                """);
        // Needs "Task" (so it cannot run first, where its number would put it) and is needed by the
        // next folder (so it cannot run after it, where byte order would put it).
        folder(migrations, "202403_task_priority", """
                CREATE TYPE "TaskPriority" AS ENUM ('LOW', 'NORMAL', 'URGENT');
                ALTER TABLE "Task" ADD COLUMN "priority" "TaskPriority" NOT NULL DEFAULT 'NORMAL';
                """);
        folder(migrations, "20240310080000_add_comments", """
                CREATE TABLE "Comment" ("id" UUID NOT NULL, "escalation" "TaskPriority", "metadata" JSONB,
                    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id"));
                -- Prisma knows no placeholders: this is text.
                COMMENT ON TABLE "Comment" IS 'Costs ${amount}.';
                """);
        return migrations;
    }

    private static void folder(Path migrations, String name, String sql) throws IOException {
        Files.createDirectories(migrations.resolve(name));
        Files.writeString(migrations.resolve(name).resolve("migration.sql"), sql);
    }

    private static List<String> query(DataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }

    @Test
    void appliesTheFoldersInPrismasOrderWithFlywaysHistory() throws Exception {
        String location = "prisma:filesystem:" + history("postgresql");
        String database = SERVER.databaseWith(null);
        try {
            DataSource owner = SERVER.owner(database);
            Migrations.Result result = Migrations.builder(owner).serviceLocations(location).build().migrate();

            assertThat(result.serviceApplied()).isEqualTo(4);
            assertThat(query(owner, "select version || ' ' || script || ' ' || description || ' ' || success"
                    + " from public.flyway_schema_history order by installed_rank")).containsExactly(
                    "20240101093000 20240101093000_init/migration.sql init true",
                    "20240215120000 20240215120000_add_tasks/migration.sql add tasks true",
                    "20240299999999.6 202403_task_priority/migration.sql task priority true",
                    "20240310080000 20240310080000_add_comments/migration.sql add comments true");
            assertThat(query(owner, "select obj_description('public.\"Comment\"'::regclass, 'pg_class')"))
                    .containsExactly("Costs ${amount}.");

            Migrations.Result again = Migrations.builder(owner).serviceLocations(location).build().migrate();
            assertThat(again.serviceApplied()).describedAs("a second run validates and applies nothing").isZero();
        } finally {
            SERVER.drop(database);
        }
    }

    @Test
    void aHistoryForAnotherDatabaseWritesNothingAtAll() throws Exception {
        String location = "prisma:filesystem:" + history("sqlite");
        String database = "prisma_empty_" + System.nanoTime();
        SERVER.admin("postgres", "create database " + database + " owner " + TestServer.ROLES.owner());
        try {
            DataSource owner = SERVER.owner(database);

            assertThatThrownBy(() -> Migrations.builder(owner).serviceLocations(location).build().migrate())
                    .isInstanceOf(InvalidMigrationSourceException.class)
                    .hasMessageContaining("were written for sqlite");
            assertThat(query(owner, "select nspname from pg_namespace where nspname in ('sentinel')"))
                    .describedAs("the history is checked before Sentinel's own migrations run").isEmpty();
        } finally {
            SERVER.drop(database);
        }
    }

    @Test
    void aPrismaHistoryIsTheServicesOnlyLocation() throws IOException {
        String location = "prisma:filesystem:" + history("postgresql");
        String database = SERVER.databaseWith(null);
        try {
            assertThatThrownBy(() -> Migrations.builder(SERVER.owner(database))
                    .serviceLocations(location, "classpath:db/migration").build())
                    .isInstanceOf(InvalidMigrationSourceException.class)
                    .hasMessageContaining("combine a Prisma migrations folder with other locations");
        } finally {
            SERVER.drop(database);
        }
    }
}
