package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.schema.Roles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's two phases run: without a server (jOOQ's interpreter and XMLDatabase) and then on
 * the server it is handed. A failure is only logged, so that a jOOQ upgrade that breaks a phase
 * would slow the first build silently; this fails instead. Neither phase leaves anything behind.
 */
class JooqWarmupTest {

    @TempDir
    Path root;

    @Test
    void bothPhasesRunAndLeaveNothingBehind() throws Exception {
        RecordingLog log = new RecordingLog();
        Path directory = root.resolve("warmup");
        try (EmbeddedTarget target = EmbeddedTarget.start(root.resolve("postgres.log"), Roles.defaults())) {
            try (JooqWarmup warmup = JooqWarmup.start(directory, getClass().getClassLoader(), null, log)) {
                warmup.useServer(target.maintenanceDataSource());
            }
            try (var connection = target.maintenanceDataSource().getConnection();
                    var statement = connection.prepareStatement("select count(*) from pg_namespace where nspname = ?")) {
                statement.setString(1, JooqWarmup.SCHEMA);
                try (var row = statement.executeQuery()) {
                    row.next();
                    assertThat(row.getInt(1)).describedAs("the warm-up's schema is dropped").isZero();
                }
            }
        }
        assertThat(log.lines()).noneMatch(line -> line.contains("failed"))
                .anyMatch(line -> line.contains("jOOQ warmed up without a server"))
                .anyMatch(line -> line.contains("jOOQ warmed up on the server"));
        assertThat(directory).doesNotExist();
    }
}
