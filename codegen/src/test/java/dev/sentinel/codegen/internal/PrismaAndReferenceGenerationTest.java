package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project whose migrations are a Prisma history, generated with a schema reference: the classes
 * come from the history applied in Prisma's order, the reference describes the project's schema
 * and is kept up to date like the generated files, and a history Sentinel cannot apply fails before
 * any PostgreSQL is started.
 */
class PrismaAndReferenceGenerationTest {

    @TempDir
    Path root;

    @Test
    void aPrismaHistoryGeneratesClassesAndAReferenceThatIncrementalBuildsKeep() throws IOException {
        TestProject project = TestProject.prisma(root);
        project.schemaReference = root.resolve("docs/schema-reference.md");
        RecordingLog log = new RecordingLog();

        CodeGenerator.Result first = project.generate(log);

        assertThat(first.skipped()).isFalse();
        assertThat(project.files()).contains("com/example/tasks/db/tables/Project.java",
                "com/example/tasks/db/tables/Task.java", "com/example/tasks/db/tables/Comment.java",
                "com/example/tasks/db/enums/ProjectStatus.java", "com/example/tasks/db/enums/TaskPriority.java");
        assertThat(project.read("tables/Comment.java"))
                .describedAs("202403_task_priority ran between add_tasks and add_comments, as in Prisma")
                .contains("TableField<CommentRecord, TaskPriority> ESCALATION")
                .contains("TableField<CommentRecord, JSONB> METADATA");
        assertThat(project.read("tables/Task.java")).contains("TableField<TaskRecord, TaskPriority> PRIORITY")
                .describedAs("quoted camelCase columns keep their words")
                .contains("TableField<TaskRecord, UUID> PROJECT_ID", "TableField<TaskRecord, OffsetDateTime> CREATED_AT");
        assertThat(project.read("tables/records/TaskRecord.java"))
                .contains("public UUID getProjectId()", "public TaskRecord setProjectId(UUID value)");
        String reference = Files.readString(project.schemaReference);
        assertThat(reference).contains("## Schema `public`", "### `public.Project`", "### `public.Task`",
                "### `public.Comment`", "    Project ||..o{ Task : \"projectId\"\n",
                "    Task ||..o{ Comment : \"taskId\"\n",
                "| `escalation` | `\"TaskPriority\"` |  |  |  |  |",
                "| `Task_tenant_id_projectId_fkey` | `tenant_id`, `projectId` | [`public.Project`](#publicproject)"
                        // The fixture's last migration moved its relations to onUpdate: NoAction (Citus
                        // refuses ON UPDATE CASCADE on a key with tenant_id; lint rule citus-update-cascade).
                        + " (`tenant_id`, `id`) | cascade | no action |")
                .describedAs("only the project's schema").doesNotContain("### `sentinel.");
        assertThat(log.lines()).anyMatch(l -> l.contains("schema reference of public written: "));

        FileTime written = Files.getLastModifiedTime(project.schemaReference);
        CodeGenerator.Result second = project.generate(new RecordingLog());
        assertThat(second.skipped()).describedAs("unchanged inputs, reference intact").isTrue();
        assertThat(Files.getLastModifiedTime(project.schemaReference)).isEqualTo(written);

        Files.delete(project.schemaReference);
        RecordingLog third = new RecordingLog();
        assertThat(project.generate(third).skipped()).describedAs("a deleted reference is written again").isFalse();
        assertThat(third.lines()).anyMatch(l -> l.contains("the schema reference was changed or removed"));
        assertThat(Files.readString(project.schemaReference)).isEqualTo(reference);
        assertThat(project.startsRecorded()).containsExactly("embedded", "embedded");
    }

    @Test
    void aHistoryForAnotherDatabaseFailsBeforeAnyServerStarts() throws IOException {
        TestProject project = TestProject.prisma(root);
        Files.writeString(root.resolve("prisma/migrations/migration_lock.toml"), "provider = \"mysql\"\n");

        assertThatThrownBy(() -> project.generate(new RecordingLog())).isInstanceOf(GenerationException.class)
                .hasMessageContaining("<locations>: The Prisma migrations at prisma:filesystem:")
                .hasMessageContaining("were written for mysql");
        assertThat(project.startsRecorded()).isEmpty();
    }

    @Test
    void aPrismaHistoryIsTheProjectsOnlyLocation() {
        TestProject project = TestProject.prisma(root);
        project.locations = List.of(project.locations.getFirst(), "filesystem:" + project.migrations);

        assertThatThrownBy(() -> project.generate(new RecordingLog())).isInstanceOf(GenerationException.class)
                .hasMessageContaining("combine a Prisma migrations folder with other locations");
        assertThat(project.startsRecorded()).isEmpty();
    }
}
