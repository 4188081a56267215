package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.schema.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The machine cache's template, migrated by {@link TemplateMigrations} (the SQL and Flyway's history
 * written in one transaction, without Flyway), is the database Flyway alone makes: the same catalog
 * of Sentinel's and a module's schema, Flyway's history table, and the same history rows with
 * Flyway's checksums; so is a project's schema migrated the same way into {@code public}, which
 * exists before its migrations. A module whose migrations cannot run in one transaction is migrated
 * by Flyway, with the same result; a project's are left to Flyway with nothing written.
 */
class TemplateMigrationsTest {

    @TempDir
    Path root;

    @Test
    void theTemplateIsTheDatabaseFlywayMakes() throws Exception {
        Path crm = Files.createDirectories(root.resolve("db/crm"));
        Files.writeString(crm.resolve("V1__contacts.sql"), """
                create table crm.contacts (id uuid primary key, tenant_id uuid not null references sentinel.tenants (id),
                    name text not null);
                grant select on crm.contacts to ${sentinel_app_role};
                """);
        Path reports = Files.createDirectories(root.resolve("db/reports"));
        Files.writeString(reports.resolve("V1__runs.sql"), "create table reports.runs (id bigint primary key, day date);");
        // PostgreSQL refuses VACUUM in a transaction: Flyway runs this migration outside one.
        Files.writeString(reports.resolve("V2__vacuum.sql"), "vacuum analyze reports.runs;");
        Files.writeString(reports.resolve("V3__index.sql"), "create index runs_day on reports.runs (day);");

        TestProject project = TestProject.downstream(root.resolve("project"));
        project.modules = List.of(new Migrations.Layer("crm", List.of("filesystem:" + crm)),
                new Migrations.Layer("reports", List.of("filesystem:" + reports)));
        SchemaBuild build = project.build();
        RecordingLog log = new RecordingLog();
        try (EmbeddedTarget target = EmbeddedTarget.start(root.resolve("postgres.log"), build.roles())) {
            try (Connection admin = target.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
                statement.execute("create database by_flyway owner " + build.roles().owner());
            }
            DataSource byFlyway = database(target, "by_flyway");
            Migrations.Builder flyway = Migrations.builder(byFlyway).roles(build.roles()).placeholders(build.placeholders())
                    .serviceLocations(build.locations().toArray(String[]::new)).serviceSchema(build.inputSchema())
                    .classLoader(getClass().getClassLoader());
            build.modules().forEach(flyway::module);
            flyway.build().migrate();

            TemplateMigrations.apply(target.ownerDataSource(), build, getClass().getClassLoader(), log);
            assertThat(TemplateMigrations.applyProject(target.ownerDataSource(), build, getClass().getClassLoader(), log))
                    .describedAs("the project's migrations, into public, which exists already").isTrue();

            for (String schema : List.of("sentinel", "crm", "reports", "public")) {
                List<String> expected = catalog(byFlyway, schema);
                assertThat(expected).describedAs(schema).isNotEmpty();
                assertThat(catalog(target.ownerDataSource(), schema)).describedAs(schema).isEqualTo(expected);
            }
        }
        assertThat(log.lines()).describedAs("Sentinel's and crm's migrations ran in one transaction each")
                .anyMatch(line -> line.matches("DEBUG .* migrations of schema sentinel applied in one transaction.*"))
                .anyMatch(line -> line.matches("DEBUG .* migrations of schema crm applied in one transaction.*"))
                .anyMatch(line -> line.contains("the migrations of schema reports did not run in one transaction"));
    }

    @Test
    void projectMigrationsThatCannotRunInOneTransactionAreLeftToFlywayWithNothingWritten() throws Exception {
        TestProject project = TestProject.downstream(root.resolve("project"));
        // PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction.
        project.write("V2__index.sql", "create index concurrently notes_body on notes (body);");
        SchemaBuild build = project.build();
        RecordingLog log = new RecordingLog();
        try (EmbeddedTarget target = EmbeddedTarget.start(root.resolve("postgres.log"), build.roles())) {
            TemplateMigrations.apply(target.ownerDataSource(), build, getClass().getClassLoader(), log);

            assertThat(TemplateMigrations.applyProject(target.ownerDataSource(), build, getClass().getClassLoader(), log))
                    .isFalse();

            try (Connection owner = target.ownerDataSource().getConnection(); Statement statement = owner.createStatement();
                    ResultSet row = statement.executeQuery("select count(*) from pg_class where relnamespace = 'public'::regnamespace")) {
                row.next();
                assertThat(row.getInt(1)).describedAs("relations left in public").isZero();
            }
        }
        assertThat(log.lines()).anyMatch(line -> line.contains("the migrations of schema public did not run in one transaction"));
    }

    private static DataSource database(EmbeddedTarget target, String name) {
        PGSimpleDataSource owner = (PGSimpleDataSource) target.ownerDataSource();
        owner.setDatabaseName(name);
        return owner;
    }

    /** A schema's objects, their definitions, grants and comments, and its Flyway history but the times. */
    private static List<String> catalog(DataSource dataSource, String schema) throws Exception {
        String query = """
                select 'class ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') || ' '
                       || c.relrowsecurity || c.relforcerowsecurity || ' ' || coalesce(obj_description(c.oid), '')
                  from pg_class c where c.relnamespace = ?::regnamespace
                union all
                select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
                       || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' '
                       || coalesce(col_description(c.oid, a.attnum), '')
                  from pg_attribute a join pg_class c on c.oid = a.attrelid
                  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                 where c.relnamespace = ?::regnamespace and a.attnum > 0 and not a.attisdropped
                union all
                select 'index ' || pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
                 where c.relnamespace = ?::regnamespace
                union all
                select 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
                 where connamespace = ?::regnamespace
                union all
                select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
                       || md5(p.prosrc) || ' ' || coalesce(p.proacl::text, '') || ' ' || p.prosecdef || ' '
                       || coalesce(array_to_string(p.proconfig, ','), '') || ' ' || coalesce(obj_description(p.oid), '')
                  from pg_proc p where p.pronamespace = ?::regnamespace
                union all
                select 'trigger ' || pg_get_triggerdef(t.oid) from pg_trigger t join pg_class c on c.oid = t.tgrelid
                 where c.relnamespace = ?::regnamespace and not t.tgisinternal
                union all
                select 'policy ' || p.polname || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' '
                       || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') || ' ' || p.polroles::text
                  from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = ?::regnamespace
                union all
                select 'schema ' || coalesce(nspacl::text, '') || ' ' || coalesce(obj_description(oid), '')
                  from pg_namespace where oid = ?::regnamespace
                union all
                select 'default privileges ' || defaclobjtype::text || ' ' || defaclacl::text from pg_default_acl
                 where defaclnamespace = ?::regnamespace
                order by 1""";
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(query)) {
            for (int i = 1; i <= 9; i++) {
                statement.setString(i, '"' + schema + '"');
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
            try (Statement history = connection.createStatement();
                    ResultSet row = history.executeQuery("select installed_rank, version, description, type, script,"
                            + " checksum, installed_by, success from \"" + schema + "\".flyway_schema_history order by 1")) {
                while (row.next()) {
                    StringBuilder line = new StringBuilder("history");
                    for (int column = 1; column <= 8; column++) {
                        line.append(' ').append(row.getString(column));
                    }
                    rows.add(line.toString());
                }
            }
        }
        return rows;
    }
}
