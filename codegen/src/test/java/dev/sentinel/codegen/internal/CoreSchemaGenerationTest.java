package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sentinel-core's use: Sentinel's own schema, from Sentinel's migrations alone, incremental too. */
class CoreSchemaGenerationTest {

    @TempDir
    Path root;

    @Test
    void generatesSentinelsSchemaIntoCoresPackageAndSkipsTheSecondTime() {
        TestProject project = new TestProject(root);
        project.inputSchema = "sentinel";
        project.packageName = "dev.sentinel.core.db";
        project.enums = false;

        RecordingLog log = new RecordingLog();
        CodeGenerator.Result first = project.generate(log);
        CodeGenerator.Result second = project.generate(new RecordingLog());

        assertThat(first.skipped()).isFalse();
        assertThat(log.lines()).describedAs("Sentinel's own schema lints clean")
                .contains("INFO Sentinel codegen: schema lint of sentinel: no findings");
        assertThat(project.files()).contains("dev/sentinel/core/db/SentinelSchema.java",
                "dev/sentinel/core/db/Keys.java", "dev/sentinel/core/db/tables/Tenants.java",
                "dev/sentinel/core/db/tables/records/TenantsRecord.java")
                .noneMatch(f -> f.contains("FlywaySchemaHistory") || f.contains("enums/"));
        assertThat(project.read("tables/Tenants.java")).contains("TableField<TenantsRecord, String> PLAN")
                .describedAs("path type and constructor that downstream foreign keys into tenants need")
                .contains("public static class TenantsPath extends Tenants implements Path<TenantsRecord>")
                .contains("public <O extends Record> Tenants(Table<O> path, ForeignKey<O, TenantsRecord> childPath,");
        assertThat(Locale.getDefault().getLanguage()).describedAs("the test JVM's locale (Surefire's argLine)").isEqualTo("tr");
        assertThat(project.files()).describedAs("class names do not depend on the JVM's Turkish locale")
                .contains("dev/sentinel/core/db/routines/InSystemScope.java", "dev/sentinel/core/db/routines/IsTimeZoneName.java")
                .noneMatch(f -> f.contains("\u0130") || f.contains("\u0131"));
        assertThat(project.read("routines/InSystemScope.java")).contains("public class InSystemScope extends AbstractRoutine<Boolean>")
                .doesNotContain("\u0130").doesNotContain("\u0131");
        assertThat(first.secretColumns()).isEqualTo(1);
        assertThat(project.read("tables/Users.java")).describedAs("users.mfa_secret, the kernel's one secret column")
                .contains("TableField<UsersRecord, Secret> MFA_SECRET", "new dev.sentinel.core.secrets.SecretConverter()");
        assertThat(second.skipped()).isTrue();
        assertThat(project.startsRecorded()).containsExactly("embedded");
    }
}
