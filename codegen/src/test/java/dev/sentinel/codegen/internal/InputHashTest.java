package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.schema.Roles;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every input changes the hash; what does not decide the output (the password) does not. */
class InputHashTest {

    @TempDir
    Path root;

    private String hash(TestProject project) {
        return InputHash.of(project.build(), getClass().getClassLoader());
    }

    @Test
    void sameInputsSameHash() {
        TestProject project = TestProject.downstream(root);
        assertThat(hash(project)).hasSize(64).isEqualTo(hash(project));
    }

    @Test
    void everyConfigurationValueAndPlaceholderCounts() {
        List<Consumer<TestProject>> changes = List.of(
                p -> p.packageName = "com.example.other",
                p -> p.includes = "notes",
                p -> p.excludes = "drafts",
                p -> p.enums = false,
                p -> p.lint = LintMode.WARN,
                p -> p.lint = LintMode.OFF,
                p -> p.roles = new Roles("owner_x", "app_x"),
                p -> p.placeholders.put("notes_comment", "changed"),
                p -> p.placeholders.put("another", "value"),
                p -> p.server = new SchemaBuild.Server(DatabaseMode.JDBC, "jdbc:postgresql://h/postgres", "u", null, null),
                p -> p.server = new SchemaBuild.Server(DatabaseMode.TESTCONTAINERS, null, null, null, "postgres:18"),
                p -> p.inputSchema = "app",
                p -> p.schemaReference = root.resolve("docs/schema-reference.md"));
        Set<String> hashes = new HashSet<>();
        hashes.add(hash(TestProject.downstream(root)));
        for (Consumer<TestProject> change : changes) {
            TestProject project = TestProject.downstream(root);
            change.accept(project);
            hashes.add(hash(project));
        }
        assertThat(hashes).describedAs("one distinct hash per change, plus the original").hasSize(changes.size() + 1);
    }

    @Test
    void migrationContentsAndNamesCount() throws IOException {
        TestProject project = TestProject.downstream(root);
        String original = hash(project);

        project.write("V1__notes.sql", Files.readString(project.migrations.resolve("V1__notes.sql")) + "\n-- edit\n");
        String edited = hash(project);
        Files.move(project.migrations.resolve("V1__notes.sql"), project.migrations.resolve("V2__notes.sql"));
        String renamed = hash(project);
        Files.createDirectories(project.migrations.resolve("sub"));
        project.write("sub/V3__more.sql", "select 1;");
        String nested = hash(project);

        assertThat(Set.of(original, edited, renamed, nested)).hasSize(4);
    }

    @Test
    void aPrismaHistoryIsHashedAsItsWholeFolder() throws IOException {
        TestProject project = TestProject.prisma(root);
        Path migrations = root.resolve("prisma/migrations");
        String original = hash(project);

        Files.writeString(migrations.resolve("migration_lock.toml"), "provider = \"postgres\"\n");
        String lock = hash(project);
        Files.writeString(migrations.resolve("202403_task_priority/migration.sql"), "-- edited\n", StandardOpenOption.APPEND);
        String script = hash(project);

        assertThat(Set.of(original, lock, script)).hasSize(3);
    }

    @Test
    void thePasswordAndForceDoNotCount() {
        TestProject project = TestProject.downstream(root);
        project.server = new SchemaBuild.Server(DatabaseMode.JDBC, "jdbc:postgresql://h/postgres", "u", "one", null);
        String first = hash(project);
        project.server = new SchemaBuild.Server(DatabaseMode.JDBC, "jdbc:postgresql://h/postgres", "u", "two", null);
        project.force = true;
        assertThat(hash(project)).isEqualTo(first);
    }

    @Test
    void classpathLocationsAreHashedByContent() throws IOException {
        Path jarless = root.resolve("classes");
        Files.createDirectories(jarless.resolve("db/extra"));
        Files.writeString(jarless.resolve("db/extra/V1__x.sql"), "select 1;");
        TestProject project = TestProject.downstream(root.resolve("project"));
        SchemaBuild build = new SchemaBuild("public", "com.example.db", project.directory(),
                List.of("classpath:db/extra"), List.of(), java.util.Map.of(), Roles.defaults(), ".*", "", true,
                SchemaBuild.Server.embedded(), LintMode.FAIL, false, project.work(), null,
                java.util.Map.of(), false, null, null, false);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jarless.toUri().toURL()}, getClass().getClassLoader())) {
            String before = InputHash.of(build, loader);
            Files.writeString(jarless.resolve("db/extra/V1__x.sql"), "select 2;");
            assertThat(InputHash.of(build, loader)).isNotEqualTo(before);
        }
    }
}
