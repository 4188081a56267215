package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only changed files are written; stale ones go; nothing outside the package or the manifest is touched. */
class OutputSyncTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path root;

    @Test
    void writesChangedKeepsUnchangedDeletesStale() throws IOException {
        Path staging = root.resolve("staging");
        Path target = root.resolve("target");
        write(staging.resolve("com/example/db/Same.java"), "same");
        write(staging.resolve("com/example/db/tables/Changed.java"), "new content");
        write(staging.resolve("com/example/db/tables/New.java"), "new");
        write(staging.resolve("dev/sentinel/core/db/Dropped.java"), "not the project's package");
        write(target.resolve("com/example/db/Same.java"), "same");
        write(target.resolve("com/example/db/tables/Changed.java"), "old content");
        write(target.resolve("com/example/db/old/Stale.java"), "stale");
        write(target.resolve("com/other/Previous.java"), "listed in the previous manifest");
        write(target.resolve("com/other/Foreign.java"), "someone else's");
        for (String file : new String[] {"com/example/db/Same.java", "com/example/db/tables/Changed.java"}) {
            Files.setLastModifiedTime(target.resolve(file), LONG_AGO);
        }

        OutputSync.Result result = OutputSync.sync(staging, target, "com/example/db",
                Map.of("com/other/Previous.java", "x"));

        assertThat(result.written()).isEqualTo(2);
        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(result.deleted()).isEqualTo(2);
        assertThat(result.manifest()).containsOnlyKeys("com/example/db/Same.java",
                "com/example/db/tables/Changed.java", "com/example/db/tables/New.java");
        assertThat(Files.getLastModifiedTime(target.resolve("com/example/db/Same.java"))).isEqualTo(LONG_AGO);
        assertThat(target.resolve("com/example/db/tables/Changed.java")).hasContent("new content");
        assertThat(target.resolve("com/example/db/old")).describedAs("emptied directory").doesNotExist();
        assertThat(target.resolve("com/other/Previous.java")).doesNotExist();
        assertThat(target.resolve("com/other/Foreign.java")).exists();
        assertThat(target.resolve("dev")).doesNotExist();
        assertThat(OutputSync.intact(target, result.manifest())).isTrue();

        Files.writeString(target.resolve("com/example/db/Same.java"), "edited");
        assertThat(OutputSync.intact(target, result.manifest())).isFalse();
        assertThat(OutputSync.intact(target, Map.of())).describedAs("no manifest, nothing to trust").isFalse();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
