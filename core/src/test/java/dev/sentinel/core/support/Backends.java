package dev.sentinel.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Tx;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.impl.DSL;

/** PostgreSQL backends of a test, for fault injection: which one a transaction runs on, and killing it. */
public final class Backends {

    private Backends() {
    }

    /**
     * The backend a transaction runs on.
     *
     * @param tx the transaction
     * @return its server process id
     */
    public static int pid(Tx tx) {
        return tx.dsl().fetchValue(DSL.field("pg_backend_pid()", Integer.class));
    }

    /**
     * Terminates a backend as the superuser, as an operator or a failover would, and waits up to
     * 5 seconds for it to exit; fails the test if it did not.
     *
     * @param db the test class's database
     * @param pid the backend
     */
    public static void terminate(SentinelDatabase db, int pid) {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet done = statement.executeQuery("select pg_terminate_backend(" + pid + ", 5000)")) {
            done.next();
            assertThat(done.getBoolean(1)).describedAs("backend %d terminated", pid).isTrue();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
