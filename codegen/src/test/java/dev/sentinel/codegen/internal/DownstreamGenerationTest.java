package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream project's schema, generated on an embedded PostgreSQL after Sentinel's: only the
 * project's classes come out, references into {@code sentinel.tenants} name sentinel-core's
 * classes, and the closed set becomes an enum. (That the classes compile against sentinel-core is
 * checked by the invoker fixture in codegen/it, which runs after core is built.)
 */
class DownstreamGenerationTest {

    @TempDir
    Path root;

    @Test
    void generatesOnlyTheProjectsSchemaWithItsOwnV1BesideSentinelsV1() {
        TestProject project = TestProject.downstream(root);

        CodeGenerator.Result result = project.generate(new RecordingLog());

        assertThat(result.skipped()).isFalse();
        assertThat(project.files()).allMatch(f -> f.startsWith("com/example/db/"))
                .contains("com/example/db/tables/Notes.java", "com/example/db/tables/records/NotesRecord.java",
                        "com/example/db/tables/Drafts.java", "com/example/db/enums/NotesStatus.java",
                        "com/example/db/Keys.java", "com/example/db/PublicSchema.java")
                .describedAs("Sentinel's own classes come from sentinel-core, never from a downstream build")
                .noneMatch(f -> f.contains("Tenants") || f.contains("SentinelSchema") || f.contains("routines"))
                .noneMatch(f -> f.contains("FlywaySchemaHistory"));
        assertThat(project.startsRecorded()).containsExactly("embedded");
        assertThat(result.files()).isEqualTo(project.files().size());
    }

    @Test
    void foreignKeysIntoSentinelNameSentinelCoresClassesClosedSetsBecomeEnumsAndSecretsSecret() {
        TestProject project = TestProject.downstream(root);

        CodeGenerator.Result result = project.generate(new RecordingLog());

        assertThat(result.closedSets()).isEqualTo(1);
        assertThat(result.secretColumns()).isEqualTo(1);
        assertThat(project.read("Keys.java"))
                .contains("import dev.sentinel.core.db.tables.Tenants;")
                .contains("ForeignKey<NotesRecord, TenantsRecord> NOTES__NOTES_TENANT_ID_FKEY")
                .contains("dev.sentinel.core.db.Keys.TENANTS_PKEY, new TableField[] { Tenants.TENANTS.ID }");
        assertThat(project.read("tables/Notes.java"))
                .contains("import dev.sentinel.core.db.tables.Tenants.TenantsPath;")
                .contains("public TenantsPath tenants()")
                .contains("TableField<NotesRecord, NotesStatus> STATUS")
                .contains("com.example.db.enums.NotesStatus::ofLiteral")
                .describedAs("a sentinel:secret column is typed Secret, which the repository seals")
                .contains("TableField<NotesRecord, Secret> SIGNING_KEY")
                .contains("new dev.sentinel.core.secrets.SecretConverter()")
                .describedAs("identifiers are upper-cased in Locale.ROOT, not in the JVM's tr_TR")
                .contains("TENANT_ID = createField")
                .contains("A note of a tenant.");
        assertThat(project.read("enums/NotesStatus.java"))
                .contains("DRAFT(\"draft\")", "PUBLISHED(\"published\")", "IN_REVIEW(\"in-review\")");
        List<String> excerpt = docBlock("// com/example/db/Keys.java");
        assertThat(oneLine(project.read("Keys.java")))
                .describedAs("docs/codegen.md shows this excerpt of the generated Keys.java; update the doc to what"
                        + " the plugin generates")
                .contains(oneLine(excerpt.subList(1, excerpt.size())));
    }

    /**
     * A block of docs/codegen.md that shows generated code, which is never committed (so core's
     * DocSnippetsTest, which finds every other block in a committed file, leaves it to this test):
     * its first line names the file, the rest is an excerpt of it.
     */
    private static List<String> docBlock(String firstLine) {
        try {
            List<String> doc = Files.readAllLines(Path.of("../docs/codegen.md"), StandardCharsets.UTF_8);
            int start = doc.indexOf(firstLine);
            if (start < 1 || !doc.get(start - 1).equals("```java")) {
                throw new AssertionError("docs/codegen.md has no java block starting with the line " + firstLine);
            }
            int end = start + doc.subList(start, doc.size()).indexOf("```");
            return List.copyOf(doc.subList(start, end));
        } catch (IOException e) {
            throw new AssertionError("docs/codegen.md cannot be read", e);
        }
    }

    /** Lines joined, with every run of white space one space: jOOQ writes a declaration on one line. */
    private static String oneLine(List<String> lines) {
        return String.join(" ", lines).replaceAll("\\s+", " ").strip();
    }

    private static String oneLine(String text) {
        return oneLine(List.of(text));
    }
}
