package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@value SentinelDatabase#SERVER_PROPERTY} (or {@value SentinelDatabase#SERVER_ENVIRONMENT}) points
 * the extension at an existing server: here, a second embedded PostgreSQL that this test starts.
 * A fixture class runs through the test kit, as a whole test run would, so that the end of its run
 * (dropping databases, leaving the server alone) is observable too.
 */
class ExternalServerOverrideTest {

    private static EmbeddedPostgres existing;

    @BeforeAll
    static void startTheExistingServer() throws Exception {
        existing = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopTheExistingServer() throws Exception {
        existing.close();
    }

    @Test
    void theFixtureRunsOnTheNamedServerAndLeavesItClean() throws SQLException {
        String url = "jdbc:postgresql://localhost:" + existing.getPort() + "/postgres?user=postgres";
        String previous = System.getProperty(SentinelDatabase.SERVER_PROPERTY);
        System.setProperty(SentinelDatabase.SERVER_PROPERTY, url);
        try {
            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(OnExistingServerFixture.class))
                    .execute()
                    .testEvents()
                    .assertStatistics(stats -> stats.started(1).succeeded(1));
        } finally {
            if (previous == null) {
                System.clearProperty(SentinelDatabase.SERVER_PROPERTY);
            } else {
                System.setProperty(SentinelDatabase.SERVER_PROPERTY, previous);
            }
        }

        assertThat(OnExistingServerFixture.observedUrl)
                .describedAs("the fixture's database lived on the existing server")
                .startsWith("jdbc:postgresql://localhost:" + existing.getPort() + "/sentinel_");
        try (Connection admin = existing.getPostgresDatabase().getConnection()) {
            assertThat(admin.isValid(5)).describedAs("the extension does not stop a server it did not start").isTrue();
            List<String> left = TemplateCloningTest.query(admin, "select datname from pg_database where datname like 'sentinel\\_%'");
            assertThat(left).describedAs("class databases and templates are dropped when the run ends").isEmpty();
            assertThat(TemplateCloningTest.query(admin, "select rolname from pg_roles where rolname like 'sentinel\\_%' order by 1"))
                    .describedAs("roles are cluster-wide and stay").containsExactly("sentinel_app", "sentinel_owner", "sentinel_system");
        }
    }

    /** Run only through the test kit above; surefire skips nested classes. */
    static class OnExistingServerFixture {

        static volatile String observedUrl;

        @RegisterExtension
        static final SentinelDatabase db = SentinelDatabase.create();

        @Test
        void migratedDatabaseOnTheExistingServer() throws SQLException {
            observedUrl = db.jdbcUrl();
            try (Connection connection = db.appDataSource().getConnection()) {
                assertThat(TemplateCloningTest.query(connection, "select current_user")).containsExactly("sentinel_app");
                assertThat(TemplateCloningTest.query(connection, "select count(*) from sentinel.tenants")).containsExactly("0");
            }
        }
    }
}
