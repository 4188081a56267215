package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin is free when nothing changed: the second run with the same inputs starts no PostgreSQL
 * (counted in the work directory's {@code postgres-starts}, not timed), and every kind of change
 * (a migration, a placeholder, the configuration, a generated file) starts one again. Files whose
 * content did not change are not rewritten; files no longer generated are removed.
 */
class IncrementalGenerationTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path root;

    @Test
    void unchangedInputsStartNoPostgresAndEachChangeRegeneratesOnlyWhatChanged() throws IOException {
        TestProject project = TestProject.downstream(root);
        RecordingLog log = new RecordingLog();
        project.generate(log);
        assertThat(project.startsRecorded()).hasSize(1);
        backdate(project);

        log.clear();
        CodeGenerator.Result second = project.generate(log);
        assertThat(second.skipped()).isTrue();
        assertThat(project.startsRecorded()).describedAs("servers started after the second run").hasSize(1);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("INFO ")).singleElement()
                .asString().contains("inputs unchanged").contains("PostgreSQL not started");
        assertThat(modifiedSinceBackdating(project)).isEmpty();

        // A migration edited: only the files of the changed table are written.
        project.write("V1__notes.sql", Files.readString(project.migrations.resolve("V1__notes.sql"))
                + "alter table notes add column title text;\n");
        CodeGenerator.Result migrationEdited = project.generate(log);
        assertThat(migrationEdited.skipped()).isFalse();
        assertThat(project.startsRecorded()).hasSize(2);
        assertThat(project.read("tables/Notes.java")).contains("TITLE");
        assertThat(modifiedSinceBackdating(project)).containsOnlyKeys(
                "com/example/db/tables/Notes.java", "com/example/db/tables/records/NotesRecord.java");
        assertThat(migrationEdited.unchanged()).isEqualTo(project.files().size() - 2);
        backdate(project);

        // A placeholder changed.
        project.placeholders.put("notes_comment", "Edited comment.");
        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(project.startsRecorded()).hasSize(3);
        assertThat(project.read("tables/Notes.java")).contains("Edited comment.");

        // The configuration changed: a table excluded, its files are stale and removed.
        project.excludes = "drafts";
        CodeGenerator.Result excluded = project.generate(log);
        assertThat(project.startsRecorded()).hasSize(4);
        assertThat(excluded.deleted()).isEqualTo(2);
        assertThat(project.files()).noneMatch(f -> f.contains("Drafts"));

        // A generated file edited by hand: the output is not intact, so it is generated again.
        Files.writeString(project.generated("Keys.java"), "// edited\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(project.read("Keys.java")).doesNotContain("// edited");
        assertThat(project.startsRecorded()).hasSize(5);

        // Nothing changed since: skipped again.
        assertThat(project.generate(log).skipped()).isTrue();
        assertThat(project.startsRecorded()).hasSize(5);
    }

    @Test
    void forceGeneratesEvenWhenNothingChanged() {
        TestProject project = TestProject.downstream(root);
        project.generate(new RecordingLog());

        project.force = true;
        CodeGenerator.Result forced = project.generate(new RecordingLog());

        assertThat(forced.skipped()).isFalse();
        assertThat(forced.written()).describedAs("same content, so nothing rewritten").isZero();
        assertThat(project.startsRecorded()).hasSize(2);
    }

    @Test
    void aFailedGenerationTouchesNothingSoRevertingCostsNothingAndFixingGenerates() throws IOException {
        TestProject project = TestProject.downstream(root);
        project.generate(new RecordingLog());
        String keys = project.read("Keys.java");
        project.write("V2__broken.sql", "create table broken (;\n");

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("Migrations failed")
                .hasMessageContaining("V2__broken.sql")
                .hasCauseInstanceOf(RuntimeException.class);
        assertThat(project.read("Keys.java")).isEqualTo(keys);
        assertThat(project.startsRecorded()).hasSize(2);

        Files.delete(project.migrations.resolve("V2__broken.sql"));
        assertThat(project.generate(new RecordingLog()).skipped()).describedAs("back to the inputs of the last success").isTrue();

        project.write("V2__fixed.sql", "create table fixed (id uuid primary key);\nselect sentinel.distribute('fixed');\n"
                + "select sentinel.enable_system_rls('fixed');\nselect sentinel.audit_table('fixed');\n");
        assertThat(project.generate(new RecordingLog()).skipped()).isFalse();
        assertThat(project.generated("tables/Fixed.java")).exists();
        assertThat(project.startsRecorded()).hasSize(3);
    }

    private static void backdate(TestProject project) throws IOException {
        for (String file : project.files()) {
            Files.setLastModifiedTime(project.directory().resolve(file), LONG_AGO);
        }
    }

    private static Map<String, FileTime> modifiedSinceBackdating(TestProject project) throws IOException {
        Map<String, FileTime> result = new LinkedHashMap<>();
        for (String file : project.files()) {
            FileTime time = Files.getLastModifiedTime(project.directory().resolve(file));
            if (!time.equals(LONG_AGO)) {
                result.put(file, time);
            }
        }
        return result;
    }
}
