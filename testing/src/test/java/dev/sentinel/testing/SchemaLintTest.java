package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension lints the migrated template before any test runs: a migration that breaks a rule
 * fails the test class at once with the findings, and {@code lint(false)} lets a test that breaks
 * a rule on purpose run.
 */
class SchemaLintTest {

    @Test
    void aBrokenMigrationFailsTheClassBeforeItsTestsWithTheFindings() {
        Events container = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakyFixture.class))
                .execute()
                .containerEvents();

        Throwable thrown = container.failed().list().get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow();
        assertThat(thrown)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The migrations of this test class break the schema linter's rules")
                .hasMessageContaining("[policy-leaks] public.notes (policy tenant_scope)")
                .hasMessageContaining("SentinelDatabase.builder().lint(false)");
        assertThat(LeakyFixture.ran).describedAs("no test of the class ran").isFalse();
    }

    @Test
    void lintFalseRunsTheTestsOfAClassThatBreaksARuleOnPurpose() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(UnlintedFixture.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    /** Run only through the test kit above; surefire skips nested classes. */
    static class LeakyFixture {

        static volatile boolean ran;

        @RegisterExtension
        static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/leaky-service").build();

        @Test
        void neverRuns() {
            ran = true;
        }
    }

    /** Run only through the test kit above. */
    static class UnlintedFixture {

        @RegisterExtension
        static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/leaky-service")
                .lint(false).build();

        @Test
        void seesTheLeakThatTheLinterWouldHaveReported() throws SQLException {
            try (Connection owner = db.ownerDataSource().getConnection(); Statement statement = owner.createStatement()) {
                statement.execute("begin; set local sentinel.scope = 'system';"
                        + " insert into sentinel.tenants (id, slug, name) values (gen_random_uuid(), 'a', 'A');"
                        + " insert into notes select id, gen_random_uuid() from sentinel.tenants; commit");
            }
            try (Connection app = db.appDataSource().getConnection(); Statement statement = app.createStatement();
                    ResultSet row = statement.executeQuery("select count(*) from notes")) {
                row.next();
                assertThat(row.getLong(1)).describedAs("rows the application role sees with no tenant set").isEqualTo(1);
            }
        }
    }
}
