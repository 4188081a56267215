package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each registration gets its own database, cloned from one migrated template: the migrations ran
 * once (the clones carry the template's history rows, timestamps and all), and the clones are
 * independent of each other.
 */
class TemplateCloningTest {

    @RegisterExtension
    static final SentinelDatabase first = SentinelDatabase.builder().serviceMigrations("classpath:db/fixture-service").build();

    @RegisterExtension
    static final SentinelDatabase second = SentinelDatabase.builder().serviceMigrations("classpath:db/fixture-service").build();

    @Test
    void bothDatabasesAreClonesOfOneMigratedTemplate() throws SQLException {
        assertThat(first.databaseName()).isNotEqualTo(second.databaseName());
        assertThat(first.templateName()).isEqualTo(second.templateName()).isNotNull();

        List<String> templateHistory;
        try (Connection admin = first.adminDataSource().getConnection()) {
            assertThat(query(admin, "select datname from pg_database where datistemplate and datname = '"
                    + first.templateName() + "'")).hasSize(1);
        }
        DataSource templateOwner = templateOwner();
        try (Connection connection = templateOwner.getConnection()) {
            templateHistory = history(connection);
        }
        assertThat(templateHistory).describedAs("Sentinel's and the service's history rows").hasSizeGreaterThanOrEqualTo(2);

        try (Connection a = first.ownerDataSource().getConnection(); Connection b = second.ownerDataSource().getConnection()) {
            assertThat(history(a)).describedAs("cloned, not migrated again: same rows, same installed_on")
                    .isEqualTo(templateHistory);
            assertThat(history(b)).isEqualTo(templateHistory);
        }
    }

    @Test
    void serviceMigrationsRunAfterSentinelsWithTheirOwnHistory() throws SQLException {
        try (Connection connection = first.ownerDataSource().getConnection()) {
            assertThat(query(connection, "select version from sentinel.flyway_schema_history where version is not null"
                    + " order by installed_rank")).first().isEqualTo("1");
            assertThat(query(connection, "select version from public.flyway_schema_history where version is not null"))
                    .describedAs("the service's V1 coexists with Sentinel's V1").containsExactly("1");
            assertThat(query(connection, "select tableowner from pg_tables where tablename = 'notes'"))
                    .containsExactly("sentinel_owner");
        }
    }

    @Test
    void writesToOneCloneDoNotAppearInTheOther() throws SQLException {
        try (Connection a = first.ownerDataSource().getConnection(); Statement statement = a.createStatement()) {
            statement.execute("create table scratch (id int)");
        }
        try (Connection b = second.ownerDataSource().getConnection()) {
            assertThat(query(b, "select tablename from pg_tables where tablename = 'scratch'")).isEmpty();
        }
    }

    private static DataSource templateOwner() {
        String url = first.jdbcUrl();
        String templateUrl = url.substring(0, url.lastIndexOf('/') + 1) + first.templateName();
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(templateUrl);
        dataSource.setUser(first.roles().owner());
        dataSource.setPassword(first.rolePassword());
        return dataSource;
    }

    private static List<String> history(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (String schema : List.of("sentinel", "public")) {
            rows.addAll(query(connection, "select concat_ws('|', '" + schema + "', installed_rank, version, checksum, installed_on)"
                    + " from " + schema + ".flyway_schema_history order by installed_rank"));
        }
        return rows;
    }

    static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
