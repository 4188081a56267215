package dev.sentinel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates the competitors' own tables (Hibernate's and Envers', db-scheduler's) in the benchmark
 * database, as the owner role, so that the default privileges give the application role the same
 * access as to the benchmark's own tables. Not Flyway migrations of the benchmark's schema: these
 * tables follow their libraries' conventions, not Sentinel's, and the schema linter would reject them.
 */
final class Competitors {

    /** The scripts, run in this order. */
    static final List<String> SCRIPTS = List.of("competitors/hibernate.sql", "competitors/db-scheduler.sql");

    private Competitors() {
    }

    /**
     * Runs every script.
     *
     * @param owner connections as the owner role
     * @throws SQLException if a script fails
     * @throws IOException if a script cannot be read
     */
    static void createTables(DataSource owner) throws SQLException, IOException {
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
            for (String script : SCRIPTS) {
                statement.execute(resource(script));
            }
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = Competitors.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
