package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.internal.MigrationSessions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Applies Sentinel's and the modules' migrations to the machine cache's template faster than
 * Flyway alone, with the same result: per layer, Flyway writes its history as it would
 * ({@code skipExecutingMigrations}: the schema, its creation marker, the history table and one row
 * per migration with Flyway's own checksum), and the migrations' SQL, placeholders replaced as
 * Flyway replaces them, runs on one connection in one transaction, one round trip per script.
 * Flyway's statement parser and its transaction, lock and history write per migration were most
 * of the first build's time in a fresh JVM (docs/decisions.md, 2026-12-07).
 *
 * <p>Where a layer is not plain SQL that this can run as Flyway would (a Java or repeatable
 * migration, a location other than {@code classpath:} or {@code filesystem:}, a placeholder or
 * script setting of Flyway's own, a statement PostgreSQL refuses in a transaction), its schema is
 * dropped and Flyway migrates it as usual: the template is a scratch database.
 */
final class TemplateMigrations {

    // What Flyway takes for a placeholder: ${name}, name without braces.
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^{}]+}");

    private TemplateMigrations() {
    }

    /**
     * Migrates Sentinel's schema and then each module's, as {@link Migrations#migrate()} would
     * without service migrations.
     *
     * @param owner the owner role's connections to the template database
     * @param build the build (roles, placeholders, modules)
     * @param classLoader the loader that sees the migrations and Flyway
     * @param log where a layer that Flyway migrates itself is reported (debug)
     */
    static void apply(DataSource owner, SchemaBuild build, ClassLoader classLoader, CodegenLog log) {
        Map<String, String> placeholders = new LinkedHashMap<>(build.placeholders());
        placeholders.putAll(build.roles().placeholders());
        // Sentinel's layer first (Migrations.Layer refuses its schema: it is for modules).
        List<Map.Entry<String, List<String>>> layers = new ArrayList<>();
        layers.add(Map.entry(SchemaNames.SCHEMA, List.of(SchemaNames.MIGRATION_LOCATION)));
        build.modules().forEach(module -> layers.add(Map.entry(module.schema(), module.locations())));
        for (Map.Entry<String, List<String>> layer : layers) {
            String schema = layer.getKey();
            List<String> locations = layer.getValue();
            DataSource sessions = new MigrationSessions(owner);
            long started = System.nanoTime();
            List<String> scripts = scripts(flyway(sessions, schema, locations, placeholders, classLoader, true), schema,
                    locations, placeholders, classLoader);
            if (scripts != null) {
                long resolved = System.nanoTime();
                flyway(sessions, schema, locations, placeholders, classLoader, true).migrate();
                long recorded = System.nanoTime();
                try {
                    run(sessions, schema, scripts);
                    log.debug(String.format(java.util.Locale.ROOT, "Sentinel codegen: %d migrations of schema %s"
                            + " applied in one transaction: resolved in %d ms, Flyway's history in %d ms, run in %d ms",
                            scripts.size(), schema, (resolved - started) / 1_000_000, (recorded - resolved) / 1_000_000,
                            (System.nanoTime() - recorded) / 1_000_000));
                    continue;
                } catch (SQLException e) {
                    log.debug("Sentinel codegen: the migrations of schema " + schema + " did not run in one"
                            + " transaction (" + e.getMessage() + "); Flyway migrates them one by one");
                    dropSchema(sessions, schema);
                }
            } else {
                log.debug("Sentinel codegen: Flyway migrates schema " + schema + " one by one");
            }
            flyway(sessions, schema, locations, placeholders, classLoader, false).migrate();
        }
    }

    private static Flyway flyway(DataSource sessions, String schema, List<String> locations,
            Map<String, String> placeholders, ClassLoader classLoader, boolean historyOnly) {
        // As Migrations configures it, so that the history is the same.
        return Flyway.configure(classLoader)
                .dataSource(sessions)
                .schemas(schema)
                .createSchemas(true)
                .outputQueryResults(false)
                .table(SchemaNames.HISTORY_TABLE)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                .placeholders(placeholders)
                .cleanDisabled(true)
                .skipExecutingMigrations(historyOnly)
                .load();
    }

    /**
     * The pending migrations' SQL with placeholders replaced, in Flyway's order, or null if one of
     * them is not a versioned SQL script that this can run as Flyway would.
     */
    private static List<String> scripts(Flyway flyway, String schema, List<String> locations,
            Map<String, String> placeholders, ClassLoader classLoader) {
        if (locations.size() != 1) {
            return null; // a script's location is not recorded in its info
        }
        String location = locations.get(0);
        List<String> scripts = new ArrayList<>();
        for (MigrationInfo migration : flyway.info().pending()) {
            if (!migration.isVersioned() || !"SQL".equals(migration.getType().name())) {
                return null;
            }
            String sql = read(location, migration.getScript(), classLoader);
            if (sql == null || sql.contains("flyway:")) {
                return null; // Flyway's own placeholders and script settings stay Flyway's
            }
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                sql = sql.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
            }
            if (PLACEHOLDER.matcher(sql).find()) {
                return null; // Flyway refuses an unknown placeholder with its own message
            }
            scripts.add(sql);
        }
        return scripts;
    }

    /** A script's text as Flyway reads it (UTF-8, without a byte order mark), or null if not found here. */
    private static String read(String location, String script, ClassLoader classLoader) {
        try {
            byte[] bytes;
            if (location.startsWith("classpath:")) {
                String directory = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
                try (InputStream in = classLoader.getResourceAsStream(directory + "/" + script)) {
                    if (in == null) {
                        return null;
                    }
                    bytes = in.readAllBytes();
                }
            } else if (location.startsWith("filesystem:")) {
                Path file = Path.of(location.substring("filesystem:".length())).resolve(script);
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                bytes = Files.readAllBytes(file);
            } else {
                return null;
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs the scripts in one transaction, each with the search path Flyway sets for it. */
    private static void run(DataSource sessions, String schema, List<String> scripts) throws SQLException {
        try (Connection connection = sessions.getConnection(); Statement statement = connection.createStatement()) {
            String original;
            try (var row = statement.executeQuery("show search_path")) {
                row.next();
                original = row.getString(1);
            }
            String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
            // Flyway's PostgreSQLConnection.changeCurrentSchemaTo: the schema first, then the original path.
            String searchPath = original.equals(schema) || original.startsWith(quoted + ",") ? original
                    : original.isBlank() ? quoted : quoted + "," + original;
            connection.setAutoCommit(false);
            try {
                for (String sql : scripts) {
                    try (var set = connection.prepareStatement("select pg_catalog.set_config('search_path', ?, false)")) {
                        set.setString(1, searchPath);
                        set.execute();
                    }
                    statement.execute(sql);
                }
                statement.execute("select pg_catalog.set_config('search_path', " + literal(original) + ", false)");
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void dropSchema(DataSource sessions, String schema) {
        try (Connection connection = sessions.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists \"" + schema.replace("\"", "\"\"") + "\" cascade");
        } catch (SQLException e) {
            throw new GenerationException("Could not reset schema " + schema + " of the machine cache's template: "
                    + e.getMessage(), e);
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
