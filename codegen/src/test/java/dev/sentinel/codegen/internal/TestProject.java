package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Roles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A downstream project on disk: a migrations folder, a source root and a work directory, plus a
 * mutable configuration that builds {@link SchemaBuild}s the way the plugin does.
 */
final class TestProject {

    final Path root;
    final Path migrations;
    String inputSchema = "public";
    String packageName = "com.example.db";
    Map<String, String> placeholders = new LinkedHashMap<>();
    String includes = ".*";
    String excludes = "";
    boolean enums = true;
    boolean force = false;
    SchemaBuild.Server server = SchemaBuild.Server.embedded();
    LintMode lint = LintMode.FAIL;
    Roles roles = Roles.defaults();
    Path schemaReference;
    /** The project's migration locations; null for its own {@link #migrations} folder. */
    List<String> locations;
    /** Modules' migrations applied before the project's. */
    List<dev.sentinel.schema.Migrations.Layer> modules = List.of();
    /** Per-column Java names and exclusions, keyed by {@code table.column}. */
    Map<String, SchemaBuild.Column> columns = new LinkedHashMap<>();
    boolean extensionObjects = false;
    Path lintBaseline;
    /** The machine cache of Sentinel's migrated schema; null migrates it on every build. */
    Path machineCache;
    boolean writeLintBaseline;

    TestProject(Path root) {
        this.root = root;
        this.migrations = root.resolve("src/main/resources/db/migration");
        try {
            Files.createDirectories(migrations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The downstream fixture: a tenant table that references sentinel.tenants, with a closed set, a
     * secret column and a placeholder, and a global table; both follow the schema linter's rules.
     */
    static TestProject downstream(Path root) {
        TestProject project = new TestProject(root);
        project.write("V1__notes.sql", """
                create table notes (
                    tenant_id uuid not null references sentinel.tenants (id),
                    id uuid not null,
                    status text not null default 'draft' check (status in ('draft', 'published', 'in-review')),
                    body text not null,
                    signing_key text constraint notes_signing_key_sealed check (sentinel.is_secret_ciphertext(signing_key)),
                    primary key (tenant_id, id)
                );
                select sentinel.distribute('notes');
                comment on table notes is '${notes_comment}';
                comment on column notes.signing_key is 'sentinel:secret The webhook signing key.';
                select sentinel.enable_tenant_rls('notes');
                select sentinel.audit_table('notes');
                create table drafts (id uuid primary key, body text);
                select sentinel.distribute('drafts');
                select sentinel.enable_system_rls('drafts');
                select sentinel.audit_table('drafts');
                """);
        project.placeholders.put("notes_comment", "A note of a tenant.");
        return project;
    }

    /**
     * The fixture Prisma history of codegen/it's {@code prisma-tasks} project (the folder the
     * invoker build and core's migrate-on-start test use too), copied so that a test may edit it:
     * quoted CamelCase tables, PostgreSQL enums, jsonb, and a folder with a short timestamp that
     * only works in Prisma's order.
     */
    static TestProject prisma(Path root) {
        TestProject project = new TestProject(root);
        Path source = Path.of("it/src/it/prisma-tasks/prisma/migrations");
        Path target = root.resolve("prisma/migrations");
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : walk.sorted().toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        project.packageName = "com.example.tasks.db";
        project.locations = List.of("prisma:filesystem:" + target);
        return project;
    }

    void write(String migration, String sql) {
        try {
            Files.writeString(migrations.resolve(migration), sql, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path directory() {
        return root.resolve("target/generated-sources/sentinel");
    }

    Path work() {
        return root.resolve("target/sentinel-codegen");
    }

    Path generated(String relative) {
        return directory().resolve(packageName.replace('.', '/')).resolve(relative);
    }

    String read(String relative) {
        try {
            return Files.readString(generated(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> startsRecorded() {
        Path starts = work().resolve(CodegenState.STARTS);
        try {
            return Files.exists(starts) ? Files.readAllLines(starts) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the source root, relative, with '/'. */
    List<String> files() {
        if (!Files.exists(directory())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(directory())) {
            List<String> result = new ArrayList<>();
            walk.filter(Files::isRegularFile).sorted()
                    .forEach(p -> result.add(directory().relativize(p).toString().replace('\\', '/')));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SchemaBuild build() {
        List<String> locations = inputSchema.equals("sentinel") ? List.of()
                : this.locations != null ? this.locations : List.of("filesystem:" + migrations);
        return new SchemaBuild(inputSchema, packageName, directory(), locations, modules, placeholders, roles, includes,
                excludes, enums, server, lint, force, work(), schemaReference, columns, extensionObjects, lintBaseline,
                machineCache, writeLintBaseline);
    }

    CodeGenerator.Result generate(RecordingLog log) {
        return new CodeGenerator(getClass().getClassLoader(), log).generate(build());
    }
}
