package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.schema.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's fresh cluster is made by the plugin's own {@code initdb --no-sync}, from the
 * binaries zonky extracted, and the server runs as the plugin's own child process ({@link Postmaster}):
 * if a zonky upgrade hides the binaries, this fails (the plugin would still work, through zonky's
 * slower initdb and {@code pg_ctl}).
 */
class EmbeddedTargetTest {

    @TempDir
    Path root;

    @Test
    void aFreshClusterIsMadeWithoutFlushingItToDisk() throws Exception {
        assertThat(EmbeddedTarget.binaries()).describedAs("zonky's extracted binaries").isNotNull()
                .satisfies(directory -> assertThat(directory.resolve("bin/initdb")).isRegularFile());

        Path log = root.resolve("postgres.log");
        Path dataDirectory;
        EmbeddedTarget stopped;
        try (EmbeddedTarget target = EmbeddedTarget.start(log, Roles.defaults())) {
            stopped = target;
            try (Connection owner = target.ownerDataSource().getConnection();
                    Statement statement = owner.createStatement();
                    ResultSet row = statement.executeQuery("select current_user, current_database()")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo(Roles.defaults().owner());
                assertThat(row.getString(2)).isEqualTo(EmbeddedTarget.DATABASE);
            }
            try (Connection admin = target.adminDataSource().getConnection();
                    Statement statement = admin.createStatement();
                    ResultSet row = statement.executeQuery("show data_directory")) {
                row.next();
                dataDirectory = Path.of(row.getString(1));
            }
        }
        assertThat(readLog(log)).describedAs("initdb's own output").contains("Sync to disk skipped");
        assertThat(dataDirectory).describedAs("the temporary cluster is deleted with the server").doesNotExist();
        assertThatThrownBy(() -> stopped.adminDataSource().getConnection().close())
                .describedAs("the server stopped before close() returned").isInstanceOf(SQLException.class);
    }

    private static String readLog(Path log) throws IOException {
        return Files.readString(log);
    }
}
