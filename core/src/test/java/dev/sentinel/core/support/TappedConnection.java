package dev.sentinel.core.support;

import dev.sentinel.testing.SentinelDatabase;
import dev.sentinel.testing.WireTap;
import java.io.IOException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One connection of the application role to the test class's database, through a {@link WireTap},
 * so that a test counts the round trips a transaction makes. Open it in {@code @BeforeAll} and close
 * it in {@code @AfterAll}.
 */
public final class TappedConnection implements AutoCloseable {

    private final WireTap tap;
    private final SingleConnectionDataSource connection;

    private TappedConnection(WireTap tap, SingleConnectionDataSource connection) {
        this.tap = tap;
        this.connection = connection;
    }

    /**
     * Starts the tap in front of the database's server and connects through it.
     *
     * @param db the test class's database
     * @return the open connection
     * @throws IOException if the tap cannot listen
     * @throws SQLException if it cannot connect
     */
    public static TappedConnection open(SentinelDatabase db) throws IOException, SQLException {
        return open(db, db.roles().app());
    }

    /**
     * Starts the tap in front of the database's server and connects through it as {@code role}.
     *
     * @param db the test class's database
     * @param role the login role, one of {@code db.roles()}
     * @return the open connection
     * @throws IOException if the tap cannot listen
     * @throws SQLException if it cannot connect
     */
    public static TappedConnection open(SentinelDatabase db, String role) throws IOException, SQLException {
        int port = Integer.parseInt(db.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        WireTap tap = WireTap.to(port);
        try {
            // No TLS or GSS negotiation, so the tap sees plain protocol messages. The tap reads SQL
            // from Parse messages: prepareThreshold=0 parses every statement on every use, where a
            // statement prepared on the server would show its text only the first time.
            return new TappedConnection(tap, new SingleConnectionDataSource("jdbc:postgresql://localhost:" + tap.port() + "/"
                    + db.databaseName() + "?sslmode=disable&gssEncMode=disable&prepareThreshold=0", role, db.rolePassword()));
        } catch (SQLException | RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /**
     * The tap, to reset and read the round trips.
     *
     * @return the tap
     */
    public WireTap tap() {
        return tap;
    }

    /**
     * A data source that hands out the one tapped connection.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return connection;
    }

    @Override
    public void close() throws IOException, SQLException {
        connection.close();
        tap.close();
    }
}
