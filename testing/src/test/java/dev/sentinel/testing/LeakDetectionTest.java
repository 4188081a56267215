package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** A test that leaves a connection borrowed fails, names the leak, and does not poison the next test. */
class LeakDetectionTest {

    @Test
    void aLeakedConnectionFailsThatTestOnly() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakingFixture.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
        Event failure = tests.failed().list().get(0);
        assertThat(failure.getTestDescriptor().getDisplayName()).isEqualTo("leaksAnAppConnection()");
        Throwable thrown = failure.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
        assertThat(thrown)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Connection leak in leaksAnAppConnection()")
                .hasMessageContaining("1 connection(s) of sentinel_app")
                .hasMessageContaining("try-with-resources");
    }

    /** Run only through the test kit above; surefire skips nested classes. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeakingFixture {

        @RegisterExtension
        static final SentinelDatabase db = SentinelDatabase.create();

        @Test
        @Order(1)
        void closesItsConnection() throws SQLException {
            try (Connection connection = db.appDataSource().getConnection()) {
                connection.isValid(1);
            }
        }

        @Test
        @Order(2)
        @SuppressWarnings("resource") // the leak is the point
        void leaksAnAppConnection() throws SQLException {
            db.appDataSource().getConnection().isValid(1);
        }

        @Test
        @Order(3)
        void theNextTestStartsWithFreshPools() throws SQLException {
            try (Connection connection = db.appDataSource().getConnection()) {
                connection.isValid(1);
            }
        }
    }
}
