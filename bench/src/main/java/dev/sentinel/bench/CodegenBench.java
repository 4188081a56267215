package dev.sentinel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.Queries;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The codegen plugin against jOOQ's DDLDatabase, as real Maven builds of one small project
 * ({@code bench/src/codegen/pom.xml}, with the benchmark's own migrations) run through the Maven
 * Wrapper: a cold build (no {@code target/}), a warm build with nothing changed, and a build after
 * one migration changed (a column added to the project's last migration), each timed from start
 * to exit and repeated. Sentinel's plugin runs Sentinel's migrations and the project's on an
 * embedded PostgreSQL; DDLDatabase reads the same migrations (copied into one folder in Flyway's
 * order, placeholders replaced) with jOOQ's parser and runs them on an in-memory H2.
 *
 * <p>DDLDatabase stops at the first statement it cannot parse or H2 cannot run, so before timing,
 * every statement is tried the way DDLDatabase runs it (jOOQ's parser, then execution on H2, in
 * order) and the ones that fail are fenced with {@code [jooq ignore start]} / {@code [jooq ignore
 * stop]} comments, as jOOQ's manual advises; the report counts them by kind. The builds use a
 * local repository of their own under {@code target/} (Sentinel's plugin installed there by the
 * {@code bench} profile), reading everything else from the user's, offline after one priming build
 * per tool. Not thread-safe; run once.
 */
final class CodegenBench {

    /** The cases, in report order. */
    static final List<String> CASES = List.of("first on this machine", "cold", "no-op", "one migration changed",
            "a comment changed");

    /**
     * A tool's builds.
     *
     * @param tool the tool
     * @param seconds each case's wall times, seconds, in repeat order
     * @param notes what the logs said about each case (e.g. whether PostgreSQL was started)
     * @param generatedFiles Java files the cold build generated
     * @param failure the first failed build's error, or null
     * @param summaries each case's summary line of Sentinel's plugin (its own time and steps), first
     *     repeat; empty for DDLDatabase
     */
    record ToolResult(String tool, Map<String, List<Double>> seconds, Map<String, String> notes, long generatedFiles, String failure,
            Map<String, String> summaries) {
    }

    /**
     * A statement DDLDatabase could not take.
     *
     * @param file the migration
     * @param kind what it is (its leading words)
     * @param problem {@code parse} (jOOQ's parser rejected it) or {@code H2} (H2 could not run it)
     * @param text the statement, shortened
     * @param error the first line of the parser's or H2's message, shortened
     */
    record Fenced(String file, String kind, String problem, String text, String error) {
    }

    /**
     * What the part found.
     *
     * @param tools each tool's builds
     * @param statements statements in all migrations
     * @param fenced the statements hidden from DDLDatabase
     * @param tables the tables the migrations create
     * @param mavenVersion the Maven that ran the builds
     */
    record Results(List<ToolResult> tools, int statements, List<Fenced> fenced, int tables, String mavenVersion) {
    }

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__(.+\\.sql)");

    private final Path root;
    private final Path work;
    private final Path userRepository;
    private final int repeats;
    private final String sentinelVersion;

    CodegenBench(Path root, Path work, Path userRepository, int repeats, String sentinelVersion) {
        this.root = root;
        this.work = work;
        this.userRepository = userRepository;
        this.repeats = repeats;
        this.sentinelVersion = sentinelVersion;
    }

    Results run() throws Exception {
        Path project = work.resolve("project");
        Path repository = work.resolve("repo");
        if (!Files.isDirectory(repository.resolve("dev/sentinel/sentinel-codegen-maven-plugin"))) {
            throw new IllegalStateException("Sentinel's plugin is not installed in " + repository
                    + "; run the benchmarks through ./mvnw -q -Dbench -pl bench -am verify, whose bench profile installs it");
        }
        deleteTree(project);
        Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.createDirectories(project.resolve("ddl"));
        String pom = Files.readString(root.resolve("bench/src/codegen/pom.xml"))
                .replace("@sentinel.version@", sentinelVersion).replace("@jooq.version@", org.jooq.Constants.VERSION);
        Files.writeString(project.resolve("pom.xml"), pom);

        Map<String, String> sentinelMigrations = migrations("db/sentinel");
        Map<String, String> projectMigrations = migrations("db/bench");
        for (Map.Entry<String, String> migration : projectMigrations.entrySet()) {
            Files.writeString(project.resolve("src/main/resources/db/migration").resolve(migration.getKey()), migration.getValue());
        }
        List<Fenced> fenced = new ArrayList<>();
        int statements = writeDdlCopy(project, sentinelMigrations, projectMigrations, fenced);
        String lastProjectMigration = projectMigrations.keySet().stream().reduce((a, b) -> b).orElseThrow();
        Path projectCopy = project.resolve("src/main/resources/db/migration").resolve(lastProjectMigration);

        String maven = mavenVersion(project, repository);
        List<ToolResult> tools = new ArrayList<>();
        // DDLDatabase's Maven plugin is not a dependency of this build: the first run downloads it.
        String jooqPlugin = "org/jooq/jooq-codegen-maven/" + org.jooq.Constants.VERSION;
        if (!Files.isDirectory(repository.resolve(jooqPlugin)) && !Files.isDirectory(userRepository.resolve(jooqPlugin))) {
            System.out.println("Codegen: downloading jooq-codegen-maven (an untimed build)");
            Build prime = build(project, repository, "ddl", false);
            if (!prime.ok()) {
                tools.add(new ToolResult(label("ddl"), Map.of(), Map.of(), 0, prime.error(), Map.of()));
            }
        }
        Map<String, Map<String, List<Double>>> seconds = new LinkedHashMap<>();
        Map<String, Map<String, String>> notes = new LinkedHashMap<>();
        Map<String, Map<String, String>> summaries = new LinkedHashMap<>();
        Map<String, Long> files = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(List.of("sentinel", "ddl"));
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (String tool : order) {
                if (tools.stream().anyMatch(t -> t.tool().equals(label(tool)))) {
                    continue; // its priming build failed
                }
                for (String kase : CASES) {
                    if (kase.equals("first on this machine") || kase.equals("cold")) {
                        deleteTree(project.resolve("target"));
                    }
                    if (kase.equals("first on this machine")) {
                        // Sentinel's plugin keeps Sentinel's migrated schema in a machine cache that mvn
                        // clean leaves alone; the first build on a machine has none. (DDLDatabase has no
                        // such cache: its first build is its cold build.)
                        deleteTree(work.resolve("machine-cache"));
                    }
                    String original = projectMigrations.get(lastProjectMigration);
                    if (kase.equals("a comment changed")) {
                        Map<String, String> edited = new LinkedHashMap<>(projectMigrations);
                        edited.put(lastProjectMigration, original + "\n-- A comment, repeat " + repeat + ".\n");
                        Files.writeString(projectCopy, edited.get(lastProjectMigration));
                        writeDdlCopy(project, sentinelMigrations, edited, new ArrayList<>());
                    }
                    if (kase.equals("one migration changed")) {
                        Map<String, String> edited = new LinkedHashMap<>(projectMigrations);
                        edited.put(lastProjectMigration, original + "\nalter table notes add column note_" + repeat + " text;\n");
                        Files.writeString(projectCopy, edited.get(lastProjectMigration));
                        writeDdlCopy(project, sentinelMigrations, edited, new ArrayList<>());
                    }
                    System.out.printf("Codegen: %s, %s, repeat %d of %d%n", label(tool), kase, repeat + 1, repeats);
                    Build build = build(project, repository, tool, true);
                    if (kase.equals("one migration changed") || kase.equals("a comment changed")) {
                        Files.writeString(projectCopy, original);
                        writeDdlCopy(project, sentinelMigrations, projectMigrations, new ArrayList<>());
                    }
                    if (!build.ok()) {
                        failures.putIfAbsent(tool, kase + ": " + build.error());
                        continue;
                    }
                    seconds.computeIfAbsent(tool, t -> new LinkedHashMap<>()).computeIfAbsent(kase, k -> new ArrayList<>()).add(build.seconds());
                    notes.computeIfAbsent(tool, t -> new LinkedHashMap<>()).putIfAbsent(kase, build.note());
                    if (build.summary() != null) {
                        summaries.computeIfAbsent(tool, t -> new LinkedHashMap<>()).putIfAbsent(kase, build.summary());
                    }
                    if (kase.equals("cold")) {
                        files.put(tool, countJava(project.resolve("target/generated-sources")));
                    }
                }
            }
            java.util.Collections.reverse(order);
        }
        for (String tool : List.of("sentinel", "ddl")) {
            if (tools.stream().noneMatch(t -> t.tool().equals(label(tool)))) {
                tools.add(new ToolResult(label(tool), seconds.getOrDefault(tool, Map.of()), notes.getOrDefault(tool, Map.of()),
                        files.getOrDefault(tool, 0L), failures.get(tool), summaries.getOrDefault(tool, Map.of())));
            }
        }
        tools.sort(Comparator.comparing(t -> t.tool().startsWith("Sentinel") ? 0 : 1));
        int tables = 0;
        for (String sql : java.util.stream.Stream.concat(sentinelMigrations.values().stream(), projectMigrations.values().stream()).toList()) {
            tables += (int) SqlScript.split(sql).stream().filter(piece -> kind(SqlScript.statementText(piece)).equals("create table")).count();
        }
        return new Results(tools, statements, fenced, tables, maven);
    }

    /**
     * Writes DDLDatabase's copy of the migrations: one folder, names that sort in Flyway's order,
     * placeholders replaced, and what it cannot take fenced off.
     *
     * @return how many statements the migrations have
     */
    private static int writeDdlCopy(Path project, Map<String, String> sentinelMigrations, Map<String, String> projectMigrations,
            List<Fenced> fenced) throws IOException, SQLException {
        Map<String, String> ddl = new LinkedHashMap<>();
        sentinelMigrations.forEach((name, sql) -> ddl.put(ddlName("a", name), sql.replace("${sentinel_owner_role}", "sentinel_owner")
                .replace("${sentinel_app_role}", "sentinel_app")));
        projectMigrations.forEach((name, sql) -> ddl.put(ddlName("b", name), sql));
        int[] statements = {0};
        for (Map.Entry<String, String> script : fence(ddl, fenced, statements).entrySet()) {
            Files.writeString(project.resolve("ddl").resolve(script.getKey()), script.getValue());
        }
        return statements[0];
    }

    private static String label(String tool) {
        return tool.equals("sentinel") ? "Sentinel's plugin (embedded PostgreSQL)" : "jOOQ DDLDatabase (parser + H2)";
    }

    private static String ddlName(String prefix, String name) {
        Matcher m = VERSIONED.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException("Not a versioned migration: " + name);
        }
        return String.format("%s_V%04d__%s", prefix, Integer.parseInt(m.group(1)), m.group(2));
    }

    // ------------------------------------------------------------------------ what DDLDatabase takes

    /**
     * Tries every statement as DDLDatabase runs it (jOOQ's parser with unknown functions ignored,
     * then execution on one in-memory H2, in order) and fences off the ones that fail.
     */
    static Map<String, String> fence(Map<String, String> scripts, List<Fenced> fenced, int[] statements) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        Properties info = new Properties();
        info.put("user", "sa");
        info.put("password", "");
        try (Connection h2 = new org.h2.Driver().connect("jdbc:h2:mem:bench-ddl-" + UUID.randomUUID(), info)) {
            DSLContext ctx = DSL.using(h2, SQLDialect.H2, new Settings().withParseUnknownFunctions(ParseUnknownFunctions.IGNORE));
            ctx.data("org.jooq.ddl.ignore-storage-clauses", true);
            ctx.data("org.jooq.ddl.parse-for-ddldatabase", true);
            // DDLDatabase creates a schema that a statement names and that does not exist yet.
            ctx.execute("create schema if not exists sentinel");
            ctx.execute("create schema if not exists \"sentinel\"");
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                StringBuilder out = new StringBuilder();
                for (String piece : SqlScript.split(script.getValue())) {
                    if (!SqlScript.hasStatement(piece)) {
                        out.append(piece);
                        continue;
                    }
                    statements[0]++;
                    String problem = null;
                    String error = null;
                    Queries queries = null;
                    try {
                        queries = ctx.parser().parse(piece);
                    } catch (RuntimeException e) {
                        problem = "parse";
                        error = e.getMessage();
                    }
                    if (queries != null) {
                        for (Query query : queries) {
                            try {
                                query.execute();
                            } catch (RuntimeException e) {
                                problem = "H2";
                                Throwable cause = e.getCause() != null ? e.getCause() : e;
                                error = cause.getMessage();
                                break;
                            }
                        }
                    }
                    if (problem == null) {
                        out.append(piece);
                    } else {
                        String text = SqlScript.statementText(piece);
                        String firstLine = error == null ? "" : error.lines().findFirst().orElse("").strip();
                        fenced.add(new Fenced(script.getKey(), kind(text), problem, text.length() > 120 ? text.substring(0, 117) + "..." : text,
                                firstLine.length() > 160 ? firstLine.substring(0, 157) + "..." : firstLine));
                        out.append("\n-- [jooq ignore start]\n").append(piece).append("\n-- [jooq ignore stop]\n");
                    }
                }
                result.put(script.getKey(), out.toString());
            }
        }
        return result;
    }

    /** A statement's kind: its first words, the names left out. */
    static String kind(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        String[][] kinds = {
            {"create policy", "create policy (row-level security)"},
            {"alter table", lower.contains("row level security") ? "alter table ... row level security" : "alter table"},
            {"create or replace function", lower.contains("plpgsql") ? "create function ... language plpgsql" : "create function ... language sql"},
            {"create function", lower.contains("plpgsql") ? "create function ... language plpgsql" : "create function ... language sql"},
            {"create trigger", "create trigger"},
            {"create unique index", lower.contains(" where ") ? "create unique index ... where (partial)" : "create unique index"},
            {"create index", lower.contains(" where ") ? "create index ... where (partial)" : "create index"},
            {"comment on", "comment on"},
            {"grant", "grant"},
            {"revoke", "revoke"},
            {"alter default privileges", "alter default privileges"},
            {"do ", "do $$ ... $$ (anonymous block)"},
            {"select ", "select of a function (e.g. sentinel.audit_table)"},
            {"create table", "create table"},
            {"create schema", "create schema"},
            {"create view", "create view"},
            {"create sequence", "create sequence"},
            {"insert", "insert"},
            {"update", "update"},
        };
        for (String[] k : kinds) {
            if (lower.startsWith(k[0])) {
                return k[1];
            }
        }
        int space = lower.indexOf(' ', lower.indexOf(' ') + 1);
        return space < 0 ? lower : lower.substring(0, space);
    }

    // ------------------------------------------------------------------------------------ builds

    private record Build(boolean ok, double seconds, String note, String error, String summary) {
    }

    private Build build(Path project, Path repository, String profile, boolean offline) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-f", project.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + userRepository, "-P" + profile, "generate-sources",
                "-Dsentinel.codegen.machineCache=" + work.resolve("machine-cache")));
        if (offline) {
            command.add(1, "-o");
        }
        Path log = work.resolve("build-" + profile + ".log");
        ProcessBuilder process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        process.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process.environment().remove("MAVEN_OPTS");
        long start = System.nanoTime();
        Process running = process.start();
        if (!running.waitFor(10, TimeUnit.MINUTES)) {
            running.destroyForcibly();
            return new Build(false, 0, "", "timed out after 10 minutes", null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(log);
        if (running.exitValue() != 0) {
            String error = output.lines().filter(line -> line.startsWith("[ERROR]")).findFirst().orElse("exit " + running.exitValue());
            return new Build(false, seconds, "", error.length() > 300 ? error.substring(0, 297) + "..." : error, null);
        }
        return new Build(true, seconds, note(output), null, summary(output));
    }

    /** Sentinel's plugin's summary line (what it did, its own time and its steps), or null. */
    private static String summary(String output) {
        String marker = "Sentinel codegen: ";
        return output.lines()
                .filter(line -> line.contains(marker) && (line.contains(" ms (") || line.contains("inputs unchanged")))
                .reduce((first, second) -> second)
                .map(line -> line.substring(line.indexOf(marker) + marker.length()).strip()
                        .replaceAll("/\\S*/target/", ".../target/")) // the machine's paths say nothing
                .orElse(null);
    }

    /** What the log says about the work done. */
    private static String note(String output) {
        for (String line : output.lines().toList()) {
            if (line.contains("Sentinel codegen: inputs unchanged")) {
                return "inputs unchanged: no PostgreSQL started, nothing written";
            }
            if (line.contains("the catalog they give is identical")) {
                return "catalog identical: migrated, no lint, no jOOQ";
            }
            if (line.contains("Sentinel codegen: schema")) {
                return line.substring(line.indexOf("Sentinel codegen: schema") + "Sentinel codegen: ".length()).strip();
            }
        }
        long tables = output.lines().filter(line -> line.contains("Generating table")).count();
        return tables > 0 ? tables + " tables generated" : "";
    }

    private String mavenVersion(Path project, Path repository) {
        try {
            Process version = new ProcessBuilder(root.resolve("mvnw").toString(), "-v", "-B").directory(project.toFile())
                    .redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor(2, TimeUnit.MINUTES);
            return text.lines().filter(line -> line.startsWith("Apache Maven")).findFirst().orElse("Maven").replaceAll("\\s*\\(.*", "");
        } catch (IOException | InterruptedException e) {
            return "Maven (version unknown: " + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** The versioned migrations under a class-path folder, by file name in version order. */
    static Map<String, String> migrations(String folder) throws IOException, URISyntaxException {
        Map<Integer, String> names = new TreeMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        URL url = CodegenBench.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IOException("No " + folder + " on the class path");
        }
        List<String> files = new ArrayList<>();
        if (url.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(folder + "/") && name.endsWith(".sql")) {
                        files.add(name.substring(folder.length() + 1));
                    }
                }
            }
        } else {
            try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
                list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).forEach(files::add);
            }
        }
        for (String file : files) {
            Matcher m = VERSIONED.matcher(file);
            if (m.matches()) {
                names.put(Integer.parseInt(m.group(1)), file);
            }
        }
        for (String file : names.values()) {
            try (InputStream in = CodegenBench.class.getClassLoader().getResourceAsStream(folder + "/" + file)) {
                contents.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return contents;
    }

    private static long countJava(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.toString().endsWith(".java")).count();
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    // ------------------------------------------------------------------------------- the report

    /**
     * The report's section.
     *
     * @param results what the part found, or {@code null} if it did not run
     * @return Markdown
     */
    static String markdown(Results results) {
        if (results == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Codegen: Sentinel's plugin against jOOQ's DDLDatabase\n\n");
        md.append("Real Maven builds (`generate-sources`, " + results.mavenVersion() + " through the wrapper, offline) of one project whose\n"
                + "migrations are the benchmark's own (`db/bench`), on top of Sentinel's. Wall time of the whole `mvnw` process,\n"
                + "Maven's start-up included (the same for both); median of the repeats (each repeat listed). *first on this\n"
                + "machine*: no `target/` and no machine cache (Sentinel's plugin migrates Sentinel's schema once per machine and\n"
                + "version); *cold*: no `target/`, the machine cache warm (it also holds the files that the first build\n"
                + "generated from the same catalog, which Sentinel's plugin copies after migrating and linting instead of running\n"
                + "jOOQ); *no-op*: the same build again; *one migration changed*: a column added to the project's last migration\n"
                + "(a catalog not seen before: Sentinel's plugin runs jOOQ, on a warm machine cache); *a comment changed*: a\n"
                + "comment added to it.\n\n");
        md.append("| tool | first on this machine, s | cold, s | no-op, s | one migration changed, s | a comment changed, s"
                + " | Java files generated | what the no-op did |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (ToolResult tool : results.tools()) {
            md.append("| ").append(tool.tool());
            for (String kase : CASES) {
                List<Double> s = tool.seconds().get(kase);
                md.append(" | ").append(s == null || s.isEmpty() ? "–" : "**" + Report.number(median(s), 1) + "** ("
                        + String.join(", ", s.stream().map(v -> Report.number(v, 1)).toList()) + ")");
            }
            md.append(" | ").append(tool.generatedFiles()).append(" | ")
                    .append(tool.failure() != null ? "failed: `" + tool.failure().replace("|", "\\|") + "`"
                            : tool.notes().getOrDefault("no-op", "").isEmpty() ? "regenerated everything" : tool.notes().get("no-op"))
                    .append(" |\n");
        }
        for (ToolResult tool : results.tools()) {
            if (tool.summaries().isEmpty()) {
                continue;
            }
            md.append("\n").append(tool.tool()).append(", its own summary line per case (first repeat): the plugin's time"
                    + " inside the build, and its steps, in milliseconds:\n\n");
            for (String kase : CASES) {
                String line = tool.summaries().get(kase);
                if (line != null) {
                    md.append("- *").append(kase).append("*: `").append(line.replace("`", "'")).append("`\n");
                }
            }
        }
        Map<String, Integer> byKind = new TreeMap<>();
        for (Fenced f : results.fenced()) {
            byKind.merge(f.kind() + " (" + (f.problem().equals("parse") ? "not parsed" : "parsed, H2 cannot run it") + ")", 1, Integer::sum);
        }
        md.append("\n**What DDLDatabase cannot take.** Of the ").append(results.statements())
                .append(" statements in Sentinel's and the project's migrations, ").append(results.fenced().size())
                .append(" stop DDLDatabase (jOOQ's parser rejects them, or H2 cannot run them) and were fenced with\n"
                        + "`[jooq ignore start]` / `[jooq ignore stop]` before timing; Flyway placeholders (`${sentinel_app_role}`) were\n"
                        + "replaced by hand. By kind:\n\n");
        List<String> lost = results.fenced().stream().filter(f -> f.kind().equals("create table"))
                .map(f -> f.text().replaceAll("^create table (\\S+).*", "$1")).toList();
        md.append("Lost with them: **").append(lost.size()).append(" of the ").append(results.tables())
                .append(" tables** (").append(String.join(", ", lost)).append("), and every index, comment and foreign key on them.\n\n");
        md.append("| statement | count |\n|---|---:|\n");
        byKind.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> md.append("| ").append(e.getKey().replace("|", "\\|")).append(" | ").append(e.getValue()).append(" |\n"));
        md.append("\nSo DDLDatabase's classes come from a schema without row-level security, triggers (the audit trail,\n"
                + "`touch_updated_at`), the functions they call, grants and comments, and without what H2 cannot hold:\n"
                + "nothing checks that the migrations run on PostgreSQL, and the schema linter cannot run on that schema.\n"
                + "Sentinel's plugin runs the migrations as they are, on PostgreSQL, lints the result, and maps closed sets\n"
                + "(`check (status in (...))`) to Java enums.\n");
        md.append("\n<details><summary>The fenced statements</summary>\n\n");
        for (Fenced f : results.fenced()) {
            md.append("- `").append(f.file()).append("` (").append(f.problem().equals("parse") ? "not parsed" : "H2").append("): `")
                    .append(f.text().replace("`", "'")).append("` — ").append(f.error().replace("`", "'").replace("|", "/")).append('\n');
        }
        md.append("\n</details>\n");
        return md.toString();
    }

    /**
     * The chart's panel: build times.
     *
     * @param results what the part found, or {@code null}
     * @return the panel
     */
    static Chart.Panel panel(Results results) {
        List<Chart.Bar> bars = new ArrayList<>();
        if (results != null) {
            for (String kase : CASES) {
                for (ToolResult tool : results.tools()) {
                    List<Double> s = tool.seconds().get(kase);
                    if (s != null && !s.isEmpty()) {
                        bars.add(new Chart.Bar(kase, tool.tool().startsWith("Sentinel") ? "Sentinel's plugin" : "jOOQ DDLDatabase",
                                median(s), Report.number(median(s), 1) + " s", tool.tool().startsWith("Sentinel") ? Chart.SENTINEL : Chart.JOOQ));
                    }
                }
            }
        }
        return new Chart.Panel("Codegen: Maven build time, seconds (lower is better)", bars, false, Double.NaN, " s",
                "Whole mvnw generate-sources runs, Maven's own start-up included.");
    }

    private static double median(List<Double> values) {
        return Report.quantile(values.stream().sorted().toList(), 0.5);
    }
}
