package dev.sentinel.schema.tools.lint;

import dev.sentinel.schema.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * sentinel-schema's {@link TestServer} (from its test jar) with what the linter's tests add: a
 * database with one of the fixture migrations under {@code lint-fixtures/}, and a lint with the
 * default options. Thread-safe.
 */
final class LintServer extends TestServer {

    private static LintServer instance;

    private LintServer() {
    }

    /**
     * The server, started on first use.
     *
     * @return the server
     */
    public static synchronized LintServer get() {
        if (instance == null) {
            instance = new LintServer();
        }
        return instance;
    }

    /**
     * A new database with Sentinel's schema and, if named, a fixture's migrations applied as the
     * owner (as a service's migrations, schema public, their own history).
     *
     * @param fixture a folder under {@code lint-fixtures/}, or null for Sentinel's schema alone
     * @return the database's name
     */
    String database(String fixture) {
        return databaseWith(fixture == null ? null : "classpath:lint-fixtures/" + fixture);
    }

    /** Lints a database as the superuser, with the default options. */
    List<Finding> lint(String database) {
        try (Connection connection = admin(database).getConnection()) {
            return SchemaLinter.lint(connection, LintOptions.defaults());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
