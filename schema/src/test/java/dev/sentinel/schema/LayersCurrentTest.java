package dev.sentinel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Migrations.Builder#layersCurrent}: on a copy of a database Sentinel's migrations were
 * applied to (what the code generator's machine cache starts every build on), only the service's
 * migrations run, and Sentinel's history is not read or written.
 */
class LayersCurrentTest {

    private static final TestServer SERVER = TestServer.get();

    @Test
    void onACopyOfAMigratedDatabaseOnlyTheServicesMigrationsRun(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("V1__notes.sql"), "create table notes (id bigint primary key, body text);");
        String database = SERVER.databaseWith(null);
        try {
            DataSource owner = SERVER.owner(database);
            long kernelHistory = count(owner, "select count(*) from sentinel.flyway_schema_history");

            Migrations.Result result = Migrations.builder(owner).roles(TestServer.ROLES)
                    .serviceLocations("filesystem:" + folder).layersCurrent(true).build().migrate();

            assertThat(result.sentinelApplied()).isZero();
            assertThat(result.serviceApplied()).isEqualTo(1);
            assertThat(count(owner, "select count(*) from public.flyway_schema_history where success")).isEqualTo(1);
            assertThat(count(owner, "select count(*) from sentinel.flyway_schema_history"))
                    .describedAs("Sentinel's history as the copy had it").isEqualTo(kernelHistory);
        } finally {
            SERVER.drop(database);
        }
    }

    @Test
    void theLayersAreNotCheckedSoItIsOnlyForCopiesOfAKnownDatabase() throws Exception {
        String database = "layers_current_empty";
        SERVER.admin("postgres", "create database " + database + " owner " + TestServer.ROLES.owner());
        try {
            DataSource owner = SERVER.owner(database);

            Migrations.builder(owner).roles(TestServer.ROLES).layersCurrent(true).build().migrate();

            assertThat(count(owner, "select count(*) from pg_namespace where nspname = 'sentinel'"))
                    .describedAs("Sentinel's migrations were not applied to an empty database").isZero();
        } finally {
            SERVER.drop(database);
        }
    }

    private static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
