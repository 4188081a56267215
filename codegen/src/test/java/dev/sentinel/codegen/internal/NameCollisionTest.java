package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two columns whose names give the same Java names (a Prisma {@code "createdAt"} beside a
 * {@code created_at}) are refused before jOOQ writes anything, with both columns and the two ways
 * out; each way out then generates classes with one field per column. Objects of an extension
 * installed in the project's schema (pgcrypto's routines and table-valued function) are left out.
 */
class NameCollisionTest {

    private static final String TASKS = """
            create extension if not exists pgcrypto;
            create table "Task" (
                tenant_id    uuid not null references sentinel.tenants (id),
                id           uuid not null,
                created_at   timestamptz not null default now(),
                "createdAt"  timestamptz,
                primary key (tenant_id, id)
            );
            select sentinel.distribute('"Task"');
            select sentinel.enable_tenant_rls('"Task"');
            select sentinel.audit_table('"Task"');
            """;

    @TempDir
    Path root;

    @Test
    void aCollisionIsReportedWithBothColumnsAndTheTwoWaysOutBeforeAnythingIsWritten() {
        TestProject project = new TestProject(root);
        project.write("V1__tasks.sql", TASKS);

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("1 name collision in schema public; nothing was generated")
                .hasMessageContaining("Table \"Task\" has the columns created_at and \"createdAt\", which both become"
                        + " the field CREATED_AT and the getter getCreatedAt()")
                .hasMessageContaining("<columns><column><name>Task.createdAt</name><javaName>created_at_camel</javaName>")
                .hasMessageContaining("<columns><column><name>Task.createdAt</name><exclude>true</exclude>");
        assertThat(project.files()).describedAs("jOOQ never ran").isEmpty();
    }

    @Test
    void aRenamedColumnGetsItsOwnFieldAndAccessorsAndExtensionObjectsAreLeftOut() {
        TestProject project = new TestProject(root);
        project.write("V1__tasks.sql", TASKS);
        project.columns.put("Task.createdAt", new SchemaBuild.Column("created_at_prisma", false));

        project.generate(new RecordingLog());

        assertThat(project.read("tables/Task.java"))
                .contains("TableField<TaskRecord, OffsetDateTime> CREATED_AT =")
                .contains("TableField<TaskRecord, OffsetDateTime> CREATED_AT_PRISMA =")
                .contains("DSL.name(\"createdAt\")");
        assertThat(project.read("tables/records/TaskRecord.java"))
                .contains("getCreatedAt()").contains("getCreatedAtPrisma()").contains("setCreatedAtPrisma(");
        assertThat(project.files()).describedAs("pgcrypto's routines and pgp_armor_headers stay out")
                .noneMatch(f -> f.contains("/routines/") || f.contains("PgpArmorHeaders") || f.contains("Digest"));
    }

    @Test
    void anExcludedColumnIsLeftOutAndExtensionObjectsComeWhenAskedFor() {
        TestProject project = new TestProject(root);
        project.write("V1__tasks.sql", TASKS);
        project.columns.put("Task.createdAt", new SchemaBuild.Column(null, true));
        project.extensionObjects = true;

        project.generate(new RecordingLog());

        assertThat(project.read("tables/Task.java")).contains("CREATED_AT =").doesNotContain("createdAt");
        assertThat(project.files()).anyMatch(f -> f.endsWith("routines/Digest1.java") || f.endsWith("routines/Digest.java"));
    }

    @Test
    void aColumnOverrideOfAColumnThatDoesNotExistFails() {
        TestProject project = new TestProject(root);
        project.write("V1__tasks.sql", TASKS);
        project.columns.put("Task.created", new SchemaBuild.Column(null, true));

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("<columns> names [Task.created], which schema public does not have");
    }
}
