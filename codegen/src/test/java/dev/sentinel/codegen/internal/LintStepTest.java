package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema linter as a step of generation: after the migrations, before jOOQ. With the default
 * {@code fail} a broken table stops the build with the finding before anything is written;
 * {@code warn} generates and prints the findings once (a no-op build points at them); {@code off}
 * does not lint. A baseline of accepted findings fails the build only on new ones.
 */
class LintStepTest {

    /** A tenant table whose policy falls back to every row when no tenant is set, as the seed's did. */
    private static final String LEAKY = """
            create table tags (
                tenant_id uuid not null references sentinel.tenants (id),
                name      text not null,
                primary key (tenant_id, name)
            );
            select sentinel.distribute('tags');
            alter table tags enable row level security, force row level security;
            create policy tenant_scope on tags
                using (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null);
            create policy system_scope on tags to sentinel_system, sentinel_owner using (sentinel.in_system_scope());
            select sentinel.audit_table('tags');
            """;

    @TempDir
    Path root;

    @Test
    void aBrokenTableFailsTheBuildWithTheFindingBeforeAnythingIsWritten() {
        TestProject project = TestProject.downstream(root);
        project.write("V2__tags.sql", LEAKY);

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("the schema lint of sentinel and public failed")
                .hasMessageContaining("[policy-leaks] public.tags (policy tenant_scope)")
                .hasMessageContaining("Fix: ")
                .hasMessageContaining("<lint>warn</lint> (-Dsentinel.codegen.lint=warn) generates anyway");
        assertThat(project.files()).describedAs("jOOQ never ran").isEmpty();
        assertThat(project.work().resolve(CodegenState.INPUTS)).describedAs("no record: the next build lints again")
                .doesNotExist();
        assertThat(project.startsRecorded()).hasSize(1);
    }

    @Test
    void warnGeneratesAnywayAndPrintsTheFindingsOnceUntilTheTableIsFixed() {
        TestProject project = TestProject.downstream(root);
        project.write("V2__tags.sql", LEAKY);
        project.lint = LintMode.WARN;
        RecordingLog log = new RecordingLog();

        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(project.generated("tables/Tags.java")).exists();
        assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN Sentinel codegen: the schema lint of sentinel"
                + " and public has findings; generating anyway") && line.contains("[policy-leaks] public.tags"));

        log.clear();
        assertThat(project.generate(log).skipped()).isTrue();
        assertThat(log.lines()).describedAs("printed once, by the build that linted; a no-op build points at the file")
                .noneMatch(line -> line.startsWith("WARN"))
                .anyMatch(line -> line.startsWith("INFO Sentinel codegen: the schema lint findings of the last run still"
                        + " stand") && line.contains(CodegenState.LINT));

        project.write("V2__tags.sql", LEAKY.replace(" or sentinel.current_tenant_id() is null", ""));
        log.clear();
        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(log.lines()).contains("INFO Sentinel codegen: schema lint of sentinel and public: no findings")
                .noneMatch(line -> line.startsWith("WARN"));
        assertThat(project.work().resolve(CodegenState.LINT)).doesNotExist();
        assertThat(project.startsRecorded()).hasSize(2);
    }

    @Test
    void offDoesNotLint() {
        TestProject project = TestProject.downstream(root);
        project.write("V2__tags.sql", LEAKY);
        project.lint = LintMode.OFF;
        RecordingLog log = new RecordingLog();

        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(log.lines()).contains("INFO Sentinel codegen: schema lint is off (<lint>off</lint>)")
                .noneMatch(line -> line.startsWith("WARN") || line.contains("findings"));
    }

    @Test
    void aBaselineAcceptsTodaysFindingsFailsOnNewOnesAndSaysWhichAcceptedOnesAreFixed() throws Exception {
        TestProject project = TestProject.downstream(root);
        project.write("V2__tags.sql", LEAKY);
        project.lintBaseline = root.resolve("lint-baseline.txt");
        project.writeLintBaseline = true;
        RecordingLog log = new RecordingLog();

        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(java.nio.file.Files.readAllLines(project.lintBaseline))
                .contains("[policy-leaks] public.tags (policy tenant_scope)");

        project.writeLintBaseline = false;
        project.write("V3__labels.sql", "create table labels (name text primary key);");
        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("findings are not in the lint baseline")
                .hasMessageContaining("[rls-not-enabled] public.labels")
                .hasMessageContaining("By rule:")
                .describedAs("an accepted finding is not listed as new")
                .hasMessageNotContaining("[policy-leaks] public.tags");

        java.nio.file.Files.delete(project.migrations.resolve("V3__labels.sql"));
        project.write("V2__tags.sql", LEAKY.replace(" or sentinel.current_tenant_id() is null", ""));
        log.clear();
        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN") && line.contains("no longer occur: they are fixed")
                && line.contains("[policy-leaks] public.tags (policy tenant_scope)"));
    }
}
