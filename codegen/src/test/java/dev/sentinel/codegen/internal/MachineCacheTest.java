package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel's schema migrated once into the machine cache and reused by builds without
 * {@code target/}, with the same output, which is copied from the machine cache instead of
 * generated again when the catalog is one this machine generated before; a migration whose change
 * leaves the catalog identical (a comment) runs no lint and no jOOQ, and a real change generates
 * again.
 */
class MachineCacheTest {

    @TempDir
    Path root;

    @Test
    void sentinelsSchemaIsMigratedOnceAndACommentOnlyChangeRunsNoJooq() throws IOException {
        TestProject project = TestProject.downstream(root.resolve("project"));
        project.machineCache = root.resolve("machine-cache");
        RecordingLog log = new RecordingLog();

        assertThat(project.generate(log).skipped()).isFalse();
        assertThat(log.lines()).anyMatch(line -> line.contains("Sentinel's schema migrated once for this machine"));
        String notes = project.read("tables/Notes.java");
        assertThat(project.machineCache).describedAs("the build ran on the server that made the entry; nothing is left")
                .isDirectoryNotContaining(path -> path.getFileName().toString().contains(TemplateCache.STAGING));

        // The first build on a machine (on the server that made the entry, with jOOQ warmed up
        // beside Sentinel's migrations) generates the same bytes as a build without the cache.
        TestProject plain = TestProject.downstream(root.resolve("plain"));
        plain.generate(new RecordingLog());
        assertThat(project.files()).isEqualTo(plain.files());
        for (String file : plain.files()) {
            assertThat(Files.readAllBytes(project.directory().resolve(file))).describedAs(file)
                    .isEqualTo(Files.readAllBytes(plain.directory().resolve(file)));
        }

        // mvn clean: target/ is gone, the machine cache is not.
        OutputSync.deleteTree(project.root.resolve("target"));
        log.clear();
        CodeGenerator.Result warm = project.generate(log);
        assertThat(warm.written()).isEqualTo(warm.files());
        assertThat(log.lines()).noneMatch(line -> line.contains("migrated once for this machine"))
                .anyMatch(line -> line.contains("started embedded PostgreSQL on Sentinel's migrated schema from the"
                        + " machine cache (its log"))
                .anyMatch(line -> line.contains("schema lint of sentinel and public"))
                .anyMatch(line -> line.contains("copied from the machine cache, where a build generated them from the"
                        + " same catalog and configuration (no jOOQ run)"));
        assertThat(warm.closedSets()).describedAs("the counts of the build that generated them").isPositive();
        assertThat(project.read("tables/Notes.java")).describedAs("the same classes as without the cache").isEqualTo(notes);
        assertThat(project.work().resolve("pgdata")).describedAs("the build's copy is deleted with the server")
                .doesNotExist();

        Path migration = project.migrations.resolve("V1__notes.sql");
        Files.writeString(migration, "-- A comment changes no catalog.\n" + Files.readString(migration));
        log.clear();
        CodeGenerator.Result comment = project.generate(log);
        assertThat(comment.skipped()).isFalse();
        assertThat(comment.written()).isZero();
        assertThat(log.lines()).anyMatch(line -> line.contains("the catalog they give is identical to the last run's"))
                .noneMatch(line -> line.contains("schema lint"));
        log.clear();
        assertThat(project.generate(log).skipped()).describedAs("the new inputs are recorded").isTrue();

        Files.writeString(migration, Files.readString(migration).replace("body text not null,",
                "body text not null,\n    title text,"));
        log.clear();
        project.generate(log);
        assertThat(project.read("tables/Notes.java")).contains("TITLE");
        assertThat(log.lines()).describedAs("a catalog this machine has not generated before")
                .noneMatch(line -> line.contains("copied from the machine cache"));
        assertThat(project.startsRecorded()).describedAs("since target/ was deleted: warm, comment, change")
                .hasSize(3);
    }

    @Test
    void aBuildThatChangesItsRoleOutsideItsDatabaseLeavesTheCachedClusterToBeMadeAgain() throws IOException {
        TestProject project = TestProject.downstream(root.resolve("project"));
        project.machineCache = root.resolve("machine-cache");
        // A role's settings live in the cluster, not in the build's database: the next build on the
        // same cached cluster would run its migrations with them.
        String roleSettingSql = "alter role current_user set statement_timeout = '77s';";
        project.write("V2__role_setting.sql", roleSettingSql);
        Path roleSetting = project.migrations.resolve("V2__role_setting.sql");
        RecordingLog log = new RecordingLog();
        project.generate(log);
        assertThat(log.lines()).describedAs("the first build on the machine ran on the cluster it made, and changed it")
                .anyMatch(line -> line.contains("not kept in the machine cache: the build changed the cluster's roles"))
                .noneMatch(line -> line.contains("migrated once for this machine"));
        assertThat(project.machineCache).describedAs("no entry, no staging directory left behind")
                .isDirectoryNotContaining(path -> !path.getFileName().toString().equals(OutputCache.FOLDER));

        Files.delete(roleSetting);
        OutputSync.deleteTree(project.root.resolve("target"));
        log.clear();
        project.generate(log);
        assertThat(log.lines()).anyMatch(line -> line.contains("migrated once for this machine"));

        Files.writeString(roleSetting, roleSettingSql);
        OutputSync.deleteTree(project.root.resolve("target"));
        log.clear();
        project.generate(log);
        assertThat(log.lines()).anyMatch(line -> line.contains("made slot"));

        Files.delete(roleSetting);
        OutputSync.deleteTree(project.root.resolve("target"));
        log.clear();
        project.generate(log);
        assertThat(log.lines()).describedAs("the slot the build before changed is copied again from the entry")
                .anyMatch(line -> line.contains("made slot"));

        OutputSync.deleteTree(project.root.resolve("target"));
        log.clear();
        project.generate(log);
        assertThat(log.lines()).describedAs("a build that changed nothing outside its database leaves the slot as it is")
                .noneMatch(line -> line.contains("made slot"))
                .anyMatch(line -> line.contains("started embedded PostgreSQL on Sentinel's migrated schema from the"
                        + " machine cache (its log"));
    }
}
