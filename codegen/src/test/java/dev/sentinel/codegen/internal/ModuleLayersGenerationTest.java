package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.schema.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project that builds on a module of the kernel (as a service builds on the agency domain): the
 * module's migrations run after Sentinel's and before the project's, so the project's foreign keys
 * into the module's tables resolve, and only the project's schema is generated. A changed module
 * migration changes the input hash.
 */
class ModuleLayersGenerationTest {

    @TempDir
    Path root;

    private Path module() throws IOException {
        Path crm = root.resolve("crm-module");
        Files.createDirectories(crm);
        Files.writeString(crm.resolve("V1__accounts.sql"), """
                create table crm.accounts (
                    tenant_id uuid not null references sentinel.tenants (id),
                    id uuid not null,
                    name text not null,
                    primary key (tenant_id, id)
                );
                select sentinel.distribute('crm.accounts');
                comment on table crm.accounts is 'An account of a tenant.';
                select sentinel.enable_tenant_rls('crm.accounts');
                select sentinel.audit_table('crm.accounts');
                """);
        return crm;
    }

    @Test
    void theProjectsTablesReferenceTheModulesAndOnlyTheProjectsAreGenerated() throws IOException {
        Path crm = module();
        TestProject project = TestProject.downstream(root.resolve("project"));
        project.write("V2__deals.sql", """
                create table deals (
                    tenant_id uuid not null references sentinel.tenants (id),
                    id uuid not null,
                    account_id uuid not null,
                    primary key (tenant_id, id),
                    foreign key (tenant_id, account_id) references crm.accounts (tenant_id, id)
                );
                select sentinel.distribute('deals');
                comment on table deals is 'A deal with an account of the crm module.';
                select sentinel.enable_tenant_rls('deals');
                select sentinel.audit_table('deals');
                """);
        project.modules = List.of(new Migrations.Layer("crm", List.of("filesystem:" + crm)));

        RecordingLog log = new RecordingLog();
        CodeGenerator.Result first = project.generate(log);

        assertThat(first.skipped()).isFalse();
        assertThat(project.files()).contains("com/example/db/tables/Deals.java", "com/example/db/tables/Notes.java")
                .noneMatch(file -> file.contains("Accounts"));
        String before = InputHash.of(project.build(), getClass().getClassLoader());
        Files.writeString(crm.resolve("V2__account_notes.sql"), "alter table crm.accounts add column notes text;");
        assertThat(InputHash.of(project.build(), getClass().getClassLoader()))
                .describedAs("a module's migration is an input").isNotEqualTo(before);
    }

    @Test
    void withoutTheModuleTheProjectsMigrationsFailAndSaySo() throws IOException {
        TestProject project = TestProject.downstream(root.resolve("project"));
        project.write("V2__deals.sql", """
                create table deals (tenant_id uuid not null references sentinel.tenants (id), id uuid not null,
                    account_id uuid not null, primary key (tenant_id, id),
                    foreign key (tenant_id, account_id) references crm.accounts (tenant_id, id));
                """);

        assertThatThrownBy(() -> project.generate(new RecordingLog())).isInstanceOf(GenerationException.class)
                .hasMessageContaining("Migrations failed").hasMessageContaining("crm");
    }
}
