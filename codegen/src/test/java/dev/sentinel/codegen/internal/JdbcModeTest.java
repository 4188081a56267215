package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <database>jdbc</database>} against a second, separately started embedded PostgreSQL that
 * plays an existing server: the plugin creates a scratch database there, generates, and drops it,
 * also when a migration fails, and never writes the password anywhere.
 */
class JdbcModeTest {

    private static final String PASSWORD = "pw-that-must-not-be-logged";

    private static EmbeddedPostgres server;

    @TempDir
    Path root;

    @BeforeAll
    static void startServer() throws IOException {
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    private static String url() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
    }

    @Test
    void generatesInAScratchDatabaseOnTheServerAndDropsIt() throws SQLException {
        TestProject project = TestProject.downstream(root);
        project.server = new SchemaBuild.Server(DatabaseMode.JDBC, url(), "postgres", PASSWORD, null);
        project.roles = new Roles("notes_owner", "notes_app");
        project.write("V2__grants.sql", "grant select on notes to ${sentinel_app_role};\n");
        RecordingLog log = new RecordingLog();

        CodeGenerator.Result result = project.generate(log);

        assertThat(result.skipped()).isFalse();
        assertThat(project.files()).contains("com/example/db/tables/Notes.java", "com/example/db/enums/NotesStatus.java");
        assertThat(project.startsRecorded()).containsExactly("jdbc");
        assertThat(scratchDatabases()).describedAs("scratch databases left on the server").isEmpty();
        assertThat(roles()).describedAs("roles named by ownerRole and appRole").contains("notes_owner", "notes_app");
        assertThat(log.lines()).anyMatch(l -> l.contains("connecting to " + url()))
                .noneMatch(l -> l.contains(PASSWORD));
        assertThat(project.build().toString()).doesNotContain(PASSWORD);

        assertThat(project.generate(log).skipped()).isTrue();
        assertThat(project.startsRecorded()).containsExactly("jdbc");
    }

    @Test
    void dropsTheScratchDatabaseWhenAMigrationFails() throws SQLException {
        TestProject project = TestProject.downstream(root);
        project.write("V2__broken.sql", "select no_such_function();\n");
        project.server = new SchemaBuild.Server(DatabaseMode.JDBC, url() + "?password=" + PASSWORD, "postgres", null, null);

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("V2__broken.sql")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining(PASSWORD)
                .cause().isNotNull();
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void aServerThatRefusesGivesADiagnosisNamingTheParameters() {
        TestProject project = TestProject.downstream(root);
        project.server = new SchemaBuild.Server(DatabaseMode.JDBC, url(), "no_such_user", PASSWORD, null);

        assertThatThrownBy(() -> project.generate(new RecordingLog()))
                .isInstanceOf(GenerationException.class)
                .hasMessageContaining("<jdbcUser>")
                .hasMessageContaining("no_such_user")
                .hasMessageNotContaining(PASSWORD)
                .hasCauseInstanceOf(SQLException.class);
    }

    private static List<String> scratchDatabases() throws SQLException {
        return names("select datname from pg_database where datname like 'sentinel_codegen%'");
    }

    private static List<String> roles() throws SQLException {
        return names("select rolname from pg_roles");
    }

    private static List<String> names(String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
