package dev.sentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A resource registered with closeBeforeDrop (a Spring context, job workers) is closed while the
 * database still exists, before the extension drops it at the end of the class.
 */
class CloseBeforeDropTest {

    private static final List<String> closed = new CopyOnWriteArrayList<>();

    @Test
    void registeredResourcesCloseInReverseOrderWhileTheDatabaseStillExists() {
        closed.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(RegisteringFixture.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(closed).containsExactly("second: database present", "first: database present");
    }

    /** Run only through the test kit above; surefire skips nested classes. */
    static class RegisteringFixture {

        @RegisterExtension
        static final SentinelDatabase db = SentinelDatabase.create();

        @Test
        void registers() {
            String database = db.databaseName();
            db.closeBeforeDrop(() -> closed.add("first: " + presence(database)));
            db.closeBeforeDrop(() -> closed.add("second: " + presence(database)));
        }

        /** Asks the server, over the administrative connection, whether the database exists. */
        private static String presence(String database) throws SQLException {
            try (Connection connection = db.adminDataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from pg_database where datname = '" + database + "'")) {
                rows.next();
                return rows.getInt(1) == 1 ? "database present" : "database gone";
            }
        }
    }
}
