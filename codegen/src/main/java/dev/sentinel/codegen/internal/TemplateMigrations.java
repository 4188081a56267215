package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.internal.LayerFlyway;
import dev.sentinel.schema.internal.MigrationSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Applies Sentinel's and the modules' migrations to the machine cache's template without Flyway's
 * per-migration machinery, with the database Flyway would leave: per layer, on one connection and
 * in one transaction, the schema, Flyway's history table, its schema-creation marker, and each
 * migration's SQL (placeholders replaced as Flyway replaces them) followed by its history row with
 * Flyway's checksum. In a fresh Maven JVM, Flyway's start-up and its lock, validation and history
 * write per migration cost several times the SQL itself (docs/decisions.md, 2026-12-07);
 * {@code TemplateMigrationsTest} compares the result with Flyway's, history included. The project's
 * own migrations on a copy of that template go in the same way ({@link #applyProject}).
 *
 * <p>A layer that is not that plain (a schema that exists already, a file other than a versioned
 * {@code V<version>__<description>.sql} script at the top of a {@code classpath:} or
 * {@code filesystem:} location, a placeholder or script setting of Flyway's own, an unknown
 * placeholder, a statement PostgreSQL refuses in a transaction) is left to Flyway, as
 * {@link Migrations#migrate()} would apply it: the transaction is rolled back first.
 */
final class TemplateMigrations {

    // Flyway's versioned SQL migration name, with its default prefix, separator and suffix.
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");

    // What Flyway takes for a placeholder: ${name}, name without braces.
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^{}]+}");

    // One row if the schema exists: whether it holds nothing at all. Stricter than Flyway's own test
    // of an empty schema (tables, views, sequences, routines, types), so that where this says empty,
    // Flyway would migrate it too.
    private static final String EXISTS_AND_EMPTY = """
            select not exists (select 1 from pg_catalog.pg_class where relnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_proc where pronamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_type where typnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_operator where oprnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_collation where collnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_conversion where connamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_ts_config where cfgnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_ts_dict where dictnamespace = n.oid)
               and not exists (select 1 from pg_catalog.pg_opfamily where opfnamespace = n.oid)
              from pg_catalog.pg_namespace n where n.nspname = ?""";

    private TemplateMigrations() {
    }

    /**
     * Migrates Sentinel's schema and then each module's, as {@link Migrations#migrate()} would
     * without service migrations.
     *
     * @param owner the owner role's connections to the template database
     * @param build the build (roles, placeholders, modules)
     * @param classLoader the loader that sees the migrations and Flyway
     * @param log where each layer's way and time are reported (debug)
     */
    static void apply(DataSource owner, SchemaBuild build, ClassLoader classLoader, CodegenLog log) {
        Map<String, String> placeholders = placeholders(build);
        // Sentinel's layer first (Migrations.Layer refuses its schema: it is for modules).
        List<Map.Entry<String, List<String>>> layers = new ArrayList<>();
        layers.add(Map.entry(SchemaNames.SCHEMA, List.of(SchemaNames.MIGRATION_LOCATION)));
        build.modules().forEach(module -> layers.add(Map.entry(module.schema(), module.locations())));
        for (Map.Entry<String, List<String>> layer : layers) {
            String schema = layer.getKey();
            List<String> locations = layer.getValue();
            DataSource sessions = new MigrationSessions(owner);
            long started = System.nanoTime();
            List<Script> scripts = scripts(locations, placeholders, classLoader);
            if (scripts != null) {
                try {
                    if (run(sessions, schema, scripts)) {
                        log.debug(String.format(java.util.Locale.ROOT, "Sentinel codegen: %d migrations of schema %s"
                                + " applied in one transaction with Flyway's history in %d ms", scripts.size(), schema,
                                (System.nanoTime() - started) / 1_000_000));
                        continue;
                    }
                    log.debug("Sentinel codegen: schema " + schema + " exists already; Flyway migrates it");
                } catch (SQLException e) {
                    log.debug("Sentinel codegen: the migrations of schema " + schema + " did not run in one"
                            + " transaction (" + e.getMessage() + "); Flyway migrates them one by one");
                }
            } else {
                log.debug("Sentinel codegen: Flyway migrates schema " + schema + " (not only versioned SQL scripts)");
            }
            LayerFlyway.of(classLoader, sessions, schema, locations, placeholders).migrate();
        }
    }

    /**
     * Applies the project's migrations the same way, into its schema, on a database whose Sentinel
     * and module layers are current (a copy of the machine cache's template), as {@link Migrations}
     * with {@code layersCurrent} would: in a fresh Maven JVM, Flyway's start-up is most of what a
     * handful of migrations cost. Where they are not that plain (as for {@link #apply}, and also a
     * Prisma history or a schema that holds anything already), or a statement fails, nothing is done
     * (the transaction is rolled back) and Flyway applies them, with its own messages for what fails.
     *
     * @param owner the owner role's connections to the build's database
     * @param build the build (its locations, input schema, roles and placeholders)
     * @param classLoader the loader that sees the migrations
     * @param log where the way taken is reported (debug)
     * @return true if the migrations were applied, false if Flyway is to apply them
     */
    static boolean applyProject(DataSource owner, SchemaBuild build, ClassLoader classLoader, CodegenLog log) {
        if (build.locations().isEmpty()) {
            return false;
        }
        long started = System.nanoTime();
        List<Script> scripts = scripts(build.locations(), placeholders(build), classLoader);
        if (scripts == null) {
            log.debug("Sentinel codegen: Flyway migrates schema " + build.inputSchema() + " (not only versioned SQL"
                    + " scripts)");
            return false;
        }
        try {
            if (run(new MigrationSessions(owner), build.inputSchema(), scripts)) {
                log.debug(String.format(java.util.Locale.ROOT, "Sentinel codegen: %d migrations of schema %s applied"
                        + " in one transaction with Flyway's history in %d ms", scripts.size(), build.inputSchema(),
                        (System.nanoTime() - started) / 1_000_000));
                return true;
            }
            log.debug("Sentinel codegen: schema " + build.inputSchema() + " holds objects already; Flyway migrates it");
        } catch (SQLException e) {
            log.debug("Sentinel codegen: the migrations of schema " + build.inputSchema() + " did not run in one"
                    + " transaction (" + e.getMessage() + "); Flyway migrates them one by one");
        }
        return false;
    }

    /** The placeholders of every layer, as {@link Migrations} passes them: the roles' win. */
    private static Map<String, String> placeholders(SchemaBuild build) {
        Map<String, String> placeholders = new LinkedHashMap<>(build.placeholders());
        placeholders.putAll(build.roles().placeholders());
        return placeholders;
    }

    /**
     * One versioned migration as Flyway records it, and its SQL with the placeholders replaced.
     *
     * @param version the version as Flyway writes it (underscores as dots)
     * @param description the description (underscores as spaces)
     * @param script the file name
     * @param checksum Flyway's checksum of the file
     * @param sql what to execute
     */
    record Script(String version, String description, String script, int checksum, String sql) {
    }

    /**
     * The layer's migrations in Flyway's order, or null if Flyway must apply them itself: a file
     * that is not a versioned SQL script at the top of its location, a location of another kind or
     * that is missing, two scripts of one version, or a placeholder this does not replace as Flyway would.
     */
    static List<Script> scripts(List<String> locations, Map<String, String> placeholders, ClassLoader classLoader) {
        Map<List<BigInteger>, Script> byVersion = new TreeMap<>(TemplateMigrations::compareVersions);
        try {
            for (String location : locations) {
                Map<String, String> files = files(location, classLoader);
                if (files == null) {
                    return null;
                }
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Matcher name = VERSIONED.matcher(file.getKey());
                    String text = file.getValue();
                    if (!name.matches() || text.contains("flyway:")) {
                        return null; // Flyway's callbacks, other migration kinds, its placeholders and script settings
                    }
                    String sql = text.startsWith("\uFEFF") ? text.substring(1) : text;
                    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                        sql = sql.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
                    }
                    if (PLACEHOLDER.matcher(sql).find()) {
                        return null; // Flyway refuses an unknown placeholder with its own message
                    }
                    String version = name.group(1).replace('_', '.');
                    Script script = new Script(version, name.group(2).replace('_', ' '), file.getKey(), checksum(text), sql);
                    if (byVersion.put(numeric(version), script) != null) {
                        return null; // Flyway refuses two migrations of one version with its own message
                    }
                }
            }
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            return null;
        }
        return new ArrayList<>(byVersion.values());
    }

    /** A location's files by name, or null if it is not a directory of files (or not found) here. */
    private static Map<String, String> files(String location, ClassLoader classLoader)
            throws IOException, URISyntaxException {
        Map<String, String> files = new TreeMap<>();
        if (location.startsWith("filesystem:")) {
            Path directory = Path.of(location.substring("filesystem:".length()));
            return Files.isDirectory(directory) && readDirectory(directory, files) ? files : null;
        }
        if (!location.startsWith("classpath:")) {
            return null;
        }
        String directory = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
        List<URL> roots = java.util.Collections.list(classLoader.getResources(directory));
        if (roots.isEmpty()) {
            return null;
        }
        for (URL root : roots) {
            if (root.getProtocol().equals("file")) {
                if (!readDirectory(Path.of(root.toURI()), files)) {
                    return null;
                }
            } else if (root.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = directory + "/";
                    for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (!name.startsWith(prefix) || name.equals(prefix)) {
                            continue;
                        }
                        String rest = name.substring(prefix.length());
                        if (rest.contains("/") || entry.isDirectory()) {
                            return null; // a subdirectory: Flyway records the script with its path
                        }
                        try (InputStream in = jar.getInputStream(entry)) {
                            if (files.put(rest, new String(in.readAllBytes(), StandardCharsets.UTF_8)) != null) {
                                return null;
                            }
                        }
                    }
                }
            } else {
                return null;
            }
        }
        return files;
    }

    private static boolean readDirectory(Path directory, Map<String, String> files) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) {
                if (!Files.isRegularFile(child)) {
                    return false;
                }
                if (files.put(child.getFileName().toString(), Files.readString(child, StandardCharsets.UTF_8)) != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Flyway's checksum of a script: a CRC-32 of its lines' UTF-8 bytes, without line ends or a byte order mark. */
    static int checksum(String text) throws IOException {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }

    private static List<BigInteger> numeric(String version) {
        List<BigInteger> parts = new ArrayList<>();
        for (String part : version.split("\\.")) {
            parts.add(new BigInteger(part));
        }
        // Flyway's versions 1 and 1.0 are the same version.
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    private static int compareVersions(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int order = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /**
     * Creates the schema (unless it exists and is empty) and Flyway's history as Flyway does, runs
     * the scripts, each with the search path Flyway sets for it and followed by its history row, and
     * commits; all or nothing.
     *
     * @return false if the schema exists and holds anything (nothing done): Flyway then decides
     *     whether it may migrate it
     * @throws SQLException if a statement fails (rolled back)
     */
    private static boolean run(DataSource sessions, String schema, List<Script> scripts) throws SQLException {
        String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
        String history = quoted + ".\"" + SchemaNames.HISTORY_TABLE + "\"";
        try (Connection connection = sessions.getConnection(); Statement statement = connection.createStatement()) {
            boolean exists;
            try (PreparedStatement state = connection.prepareStatement(EXISTS_AND_EMPTY)) {
                state.setString(1, schema);
                try (var row = state.executeQuery()) {
                    exists = row.next();
                    if (exists && !row.getBoolean(1)) {
                        return false;
                    }
                }
            }
            String original;
            try (var row = statement.executeQuery("show search_path")) {
                row.next();
                original = row.getString(1);
            }
            // Flyway's PostgreSQLConnection.changeCurrentSchemaTo: the schema first, then the original path.
            String searchPath = original.equals(schema) || original.startsWith(schema + ",") ? original
                    : original.isBlank() ? quoted : quoted + "," + original;
            connection.setAutoCommit(false);
            try {
                // Flyway's schema creation, its PostgreSQL history table and the schema's marker row
                // (none in a schema that was there, such as public).
                if (!exists) {
                    statement.execute("CREATE SCHEMA " + quoted);
                }
                statement.execute("CREATE TABLE " + history + " (\n"
                        + "    \"installed_rank\" INT NOT NULL,\n"
                        + "    \"version\" VARCHAR(50),\n"
                        + "    \"description\" VARCHAR(200) NOT NULL,\n"
                        + "    \"type\" VARCHAR(20) NOT NULL,\n"
                        + "    \"script\" VARCHAR(1000) NOT NULL,\n"
                        + "    \"checksum\" INTEGER,\n"
                        + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
                        + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
                        + "    \"execution_time\" INTEGER NOT NULL,\n"
                        + "    \"success\" BOOLEAN NOT NULL\n"
                        + ");\n"
                        + "ALTER TABLE " + history + " ADD CONSTRAINT \"" + SchemaNames.HISTORY_TABLE
                        + "_pk\" PRIMARY KEY (\"installed_rank\");\n"
                        + "CREATE INDEX \"" + SchemaNames.HISTORY_TABLE + "_s_idx\" ON " + history + " (\"success\");");
                String insert = "INSERT INTO " + history + " (\"installed_rank\", \"version\", \"description\", \"type\","
                        + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                        + " VALUES (?, ?, ?, ?, ?, ?, current_user, ?, true)";
                try (PreparedStatement row = connection.prepareStatement(insert)) {
                    if (!exists) {
                        row.setInt(1, 0);
                        row.setString(2, null);
                        row.setString(3, "<< Flyway Schema Creation >>");
                        row.setString(4, "SCHEMA");
                        row.setString(5, quoted);
                        row.setNull(6, java.sql.Types.INTEGER);
                        row.setInt(7, 0);
                        row.execute();
                    }
                    int rank = 1;
                    for (Script script : scripts) {
                        long started = System.nanoTime();
                        try (var set = connection.prepareStatement("select pg_catalog.set_config('search_path', ?, false)")) {
                            set.setString(1, searchPath);
                            set.execute();
                        }
                        statement.execute(script.sql());
                        // As Flyway restores the session after each migration: its search path and role.
                        statement.execute("select pg_catalog.set_config('search_path', " + literal(original) + ", false);"
                                + " RESET ROLE");
                        row.setInt(1, rank++);
                        row.setString(2, script.version());
                        row.setString(3, script.description());
                        row.setString(4, "SQL");
                        row.setString(5, script.script());
                        row.setInt(6, script.checksum());
                        row.setInt(7, (int) ((System.nanoTime() - started) / 1_000_000));
                        row.execute();
                    }
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
