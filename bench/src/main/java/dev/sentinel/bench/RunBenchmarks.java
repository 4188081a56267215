package dev.sentinel.bench;

import dev.sentinel.agency.Agency;
import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the whole suite and writes {@code results.md}, {@code chart.png} and {@code machine.md}:
 * starts one embedded PostgreSQL, bootstraps Sentinel's roles, creates and migrates a database
 * (Sentinel's kernel migrations, the agency module's, then {@code classpath:db/bench}) and creates
 * the competitors' tables ({@link Competitors}); then the parts: the scenarios (every JMH benchmark
 * in rounds, connecting through the URL passed as {@value Fixture#URL_PROPERTY}; each operation's
 * round trips and statements; the audit trigger's server time, {@link ServerBreakdown}), invoice issuing under
 * contention ({@link InvoiceContention}), the job queue against db-scheduler
 * ({@link JobQueueBench}) and the codegen builds ({@link CodegenBench}); and stops the server.
 *
 * <p>System properties: {@code bench.quick} ({@code true} for a smoke run of every part),
 * {@code bench.parts} (some of {@code scenarios,invoices,jobs,codegen}),
 * {@code bench.include} (a regular expression over benchmark names, JMH's include),
 * {@code bench.results} (the output directory, default {@code results}), {@code bench.work} (where
 * the server's log goes, default {@code target}), and {@code bench.rounds},
 * {@code bench.measurement} (milliseconds) and {@code bench.forks} to override the run's shape,
 * {@code bench.jobs} (the job queue's throughput runs' job count);
 * for the codegen part {@code bench.root} (the repository, for {@code mvnw}),
 * {@code bench.userRepository} (the local Maven repository read as the tail) and
 * {@code bench.sentinelVersion}.
 */
public final class RunBenchmarks {

    private static final String DATABASE = "bench";
    private static final String PASSWORD = "bench";
    /** The parts of the suite, in run order; {@code bench.parts} picks some. */
    private static final List<String> PARTS = List.of("scenarios", "invoices", "jobs", "codegen");

    /** Maven and Surefire processes when the run started, as {@code pgrep -fc 'maven|surefire'} counts them. */
    private static long otherBuilds;

    private RunBenchmarks() {
    }

    private static long buildsRunning() {
        return ProcessHandle.allProcesses()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> command.contains("maven") || command.contains("surefire"))
                .count();
    }

    /**
     * Runs the suite.
     *
     * @param args ignored; configuration comes from system properties
     * @throws Exception if the server does not start, a benchmark fails, or a result cannot be written
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        boolean quick = flag(System.getProperty("bench.quick"));
        String include = System.getProperty("bench.include", "dev\\.sentinel\\.bench\\.scenarios\\..*");
        Set<String> parts = parts(System.getProperty("bench.parts"));
        Path results = Path.of(System.getProperty("bench.results", "results")).toAbsolutePath();
        Path work = Path.of(System.getProperty("bench.work", "target")).toAbsolutePath();
        Files.createDirectories(work);

        Instant started = Instant.now();
        otherBuilds = buildsRunning();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path serverLog = work.resolve("bench-postgres.log");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                // The job queue's breakdown reads statement counts and server time from pg_stat_statements.
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .start()) {
            Roles roles = Roles.defaults();
            try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
                DatabaseBootstrap.bootstrapRoles(superuser, roles);
                DatabaseBootstrap.setPassword(superuser, roles.app(), PASSWORD);
                DatabaseBootstrap.setPassword(superuser, roles.system(), PASSWORD);
                DatabaseBootstrap.createDatabase(superuser, DATABASE, roles);
            }
            try (Connection superuser = postgres.getDatabase("postgres", DATABASE).getConnection();
                    java.sql.Statement statement = superuser.createStatement()) {
                statement.execute("create extension if not exists pg_stat_statements");
                // The job queue's breakdown reads pg_stat_statements as the application role; this lets
                // it see the text of the system role's statements (the claims) too, not only their times.
                statement.execute("grant pg_read_all_stats to " + roles.app());
            }
            Migrations.builder(postgres.getDatabase(roles.owner(), DATABASE))
                    .roles(roles)
                    .module(new Migrations.Layer(Agency.SCHEMA, List.of(Agency.MIGRATION_LOCATION)))
                    .serviceLocations("classpath:db/bench")
                    .build()
                    .migrate();
            Competitors.createTables(postgres.getDatabase(roles.owner(), DATABASE));
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
            System.out.printf("Benchmark database ready at %s (%s run); server log: %s%n", url, quick ? "quick" : "full", serverLog);

            Settings settings = (quick ? Settings.QUICK : Settings.FULL).overridden();
            Map<String, Duration> timings = new LinkedHashMap<>();
            Map<String, List<Statistics>> rounds = Map.of();
            RoundTrips.Counted counted = new RoundTrips.Counted(Map.of(), Map.of());
            Map<String, Map<String, Double>> server = Map.of();
            if (parts.contains("scenarios")) {
                Instant partStarted = Instant.now();
                rounds = runJmh(settings, include, url, roles.app());
                System.out.println("Counting round trips and statements per operation...");
                counted = RoundTrips.countAll(postgres.getPort(), DATABASE, roles.app(), PASSWORD);
                System.out.println("Measuring the audit trigger's server time...");
                try (Fixture fixture = Fixture.open(url, roles.app(), PASSWORD)) {
                    server = ServerBreakdown.measure(Fixture.dataSource(url, roles.app(), PASSWORD), fixture.tenantId());
                }
                timings.put("scenarios 1–7 (JMH), round trips, server breakdown", Duration.between(partStarted, Instant.now()));
            }
            List<InvoiceContention.Cell> invoices = List.of();
            if (parts.contains("invoices")) {
                Instant partStarted = Instant.now();
                System.out.println("Invoice issuing under contention...");
                invoices = new InvoiceContention(url, roles.app(), PASSWORD, postgres.getDatabase(roles.owner(), DATABASE),
                        quick ? 150 : 600, quick ? 40 : 150, quick ? 1.5 : 3.0)
                        .run(SentinelIssuing.FACTORY);
                timings.put("invoice issuing under contention", Duration.between(partStarted, Instant.now()));
            }
            JobQueueBench.Results jobs = null;
            if (parts.contains("jobs")) {
                Instant partStarted = Instant.now();
                System.out.println("Job queue: Sentinel against db-scheduler...");
                // -Dbench.jobs=N: the throughput runs' job count (a quick run's 300 drain in a fraction of a second).
                int jobCount = Integer.getInteger("bench.jobs", quick ? 300 : 2000);
                jobs = new JobQueueBench(url, roles.app(), PASSWORD, jobCount, quick ? 40 : 150).run();
                timings.put("job queue", Duration.between(partStarted, Instant.now()));
            }
            CodegenBench.Results codegen = null;
            if (parts.contains("codegen")) {
                Instant partStarted = Instant.now();
                System.out.println("Codegen: Sentinel's plugin against jOOQ's DDLDatabase...");
                Path root = Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize();
                codegen = new CodegenBench(root, work.resolve("codegen-bench"),
                        Path.of(System.getProperty("bench.userRepository", System.getProperty("user.home") + "/.m2/repository")),
                        quick ? 1 : 2, System.getProperty("bench.sentinelVersion", "0.1.0-SNAPSHOT")).run();
                timings.put("codegen builds", Duration.between(partStarted, Instant.now()));
            }

            Duration took = Duration.between(started, Instant.now());
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            String when = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").format(started.atOffset(ZoneOffset.UTC));
            String settingsLine = "JMH 1.37, SampleTime, " + settings.describe();
            String header = "Run " + when + " (" + (quick ? "quick smoke run, `-Dbench.quick`" : "full run") + ", "
                    + minutes(took) + " in all); " + settingsLine + ". The machine is described in [machine.md](machine.md).\n\n"
                    + "**Absolute numbers are noise; compare the ratios.** The machine has 2 cores shared with other\n"
                    + "engineers' builds, and PostgreSQL runs on the same machine, so every time below includes a loopback\n"
                    + "round trip and competes for the same cores. To keep the ratios fair under a load that comes and\n"
                    + "goes, the suite runs in many short rounds, in one JVM: after a discarded warm-up round, every round\n"
                    + "runs each benchmark for about a second, the variants of a scenario back to back (in alternating\n"
                    + "order from round to round, each scenario in a tenant of its own); ratios are taken within a round,\n"
                    + "and their median over rounds is reported with the interquartile range.\n";

            Report report = new Report(Report.stats(rounds), counted.counts());
            Files.createDirectories(results);
            String markdown = (rounds.isEmpty() ? "# Benchmark results\n\n" + header : report.markdown(header, counted.auditRows(), server))
                    + InvoiceContention.markdown(invoices, SentinelIssuing.FACTORY != null)
                    + JobQueueBench.markdown(jobs)
                    + CodegenBench.markdown(codegen);
            Files.writeString(results.resolve("results.md"), markdown, StandardCharsets.UTF_8);
            Chart.write(results.resolve("chart.png"), when + " · " + settings.rounds() + (settings.rounds() == 1 ? " round" : " rounds")
                    + " · 2 cores shared with other builds: compare ratios, not absolute numbers",
                    List.of(report.panel(), InvoiceContention.panel(invoices), JobQueueBench.panel(jobs),
                            CodegenBench.panel(codegen)));
            Files.writeString(results.resolve("machine.md"),
                    machine(postgres, settings, when, took, loadBefore, loadAfter, timings), StandardCharsets.UTF_8);
            System.out.printf("Wrote %s (results.md, chart.png, machine.md) in %s.%n", results, minutes(took));
        }
    }

    /**
     * How long each part runs. A warm-up round first runs every benchmark for
     * {@code warmupRoundSeconds} + 1 s and throws the numbers away (jOOQ's code paths take about
     * ten seconds of JIT compilation to settle, and all variants share this JVM); then
     * {@code rounds} measured rounds run every benchmark for {@code warmupMillis} +
     * {@code measurementMillis}. Short rounds interleave the variants finely, so a load that comes
     * and goes hits them alike. The scenarios take about 7 minutes on 2 cores: 32 benchmarks ×
     * (4 s + 8 rounds × 1 s), JMH's own time per run, the counting and the server breakdown; the
     * other parts about 4 more (see bench/README.md).
     *
     * @param warmupRoundSeconds warm-up of each benchmark in the discarded first round
     * @param rounds measured rounds
     * @param warmupMillis warm-up of each benchmark in a measured round
     * @param measurementMillis measurement of each benchmark in a measured round
     * @param forks JMH forks per run: 0 runs in this JVM (the default), 1 in a fresh JVM each time
     */
    private record Settings(int warmupRoundSeconds, int rounds, int warmupMillis, int measurementMillis, int forks) {

        static final Settings FULL = new Settings(3, 8, 200, 800, 0);
        static final Settings QUICK = new Settings(1, 2, 200, 800, 0);

        /** This, with {@code bench.rounds}, {@code bench.measurement} (ms) and {@code bench.forks} overriding. */
        Settings overridden() {
            return new Settings(warmupRoundSeconds, Integer.getInteger("bench.rounds", rounds), warmupMillis,
                    Integer.getInteger("bench.measurement", measurementMillis), Integer.getInteger("bench.forks", forks));
        }

        String describe() {
            return "a discarded warm-up round (" + (warmupRoundSeconds + 1) + " s per benchmark), then " + rounds
                    + (rounds == 1 ? " round" : " rounds") + " of " + warmupMillis + " ms warm-up and " + measurementMillis
                    + " ms measurement per benchmark, one thread, "
                    + (forks == 0 ? "in one JVM (JMH forks = 0)" : forks + " JMH fork(s) per run");
        }
    }

    /**
     * Runs every included benchmark once per round. Within a round the variants of a scenario run
     * back to back, in the opposite order in every other round, so that a load that builds up or
     * fades during a scenario does not always favour the same variant.
     */
    private static Map<String, List<Statistics>> runJmh(Settings settings, String include, String url, String user)
            throws RunnerException {
        Map<String, List<String>> byScenario = new TreeMap<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(include), List.of())) {
            String name = entry.getUsername();
            String scenario = name.substring(0, name.lastIndexOf('.'));
            byScenario.computeIfAbsent(scenario, key -> new ArrayList<>()).add(name);
        }
        if (byScenario.isEmpty()) {
            throw new IllegalArgumentException("No benchmark matches bench.include=" + include);
        }
        // In this JVM (forks = 0) the fixtures read these; forks get them as -D arguments.
        System.setProperty(Fixture.URL_PROPERTY, url);
        System.setProperty(Fixture.USER_PROPERTY, user);
        System.setProperty(Fixture.PASSWORD_PROPERTY, PASSWORD);
        Map<String, List<Statistics>> results = new LinkedHashMap<>();
        try {
            for (int round = 0; round <= settings.rounds(); round++) {
                boolean warmupRound = round == 0;
                for (List<String> benchmarks : byScenario.values()) {
                    List<String> order = new ArrayList<>(benchmarks);
                    if (round % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (String benchmark : order) {
                        System.out.printf("%n=== %s: %s%n", warmupRound ? "warm-up round" : "round " + round + " of " + settings.rounds(),
                                benchmark);
                        Options options = warmupRound
                                ? options(settings.forks(), settings.warmupRoundSeconds(), TimeValue.seconds(1), 1,
                                        TimeValue.seconds(1), benchmark, url, user)
                                : options(settings.forks(), 1, TimeValue.milliseconds(settings.warmupMillis()), 1,
                                        TimeValue.milliseconds(settings.measurementMillis()), benchmark, url, user);
                        for (RunResult result : new Runner(options).run()) {
                            if (!warmupRound) {
                                String key = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
                                results.computeIfAbsent(key, k -> new ArrayList<>()).add(result.getPrimaryResult().getStatistics());
                            }
                        }
                    }
                }
            }
        } finally {
            Fixture.closeShared();
        }
        return results;
    }

    private static Options options(int forks, int warmups, TimeValue warmupTime, int measurements, TimeValue measurementTime,
            String benchmark, String url, String user) {
        return new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark) + "$")
                .forks(forks)
                .threads(1)
                .warmupIterations(warmups)
                .warmupTime(warmupTime)
                .measurementIterations(measurements)
                .measurementTime(measurementTime)
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .jvmArgsAppend("-Xms1g", "-Xmx1g",
                        "-D" + Fixture.URL_PROPERTY + "=" + url,
                        "-D" + Fixture.USER_PROPERTY + "=" + user,
                        "-D" + Fixture.PASSWORD_PROPERTY + "=" + PASSWORD,
                        "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .build();
    }

    private static String machine(EmbeddedPostgres postgres, Settings settings, String when, Duration took, double loadBefore,
            double loadAfter, Map<String, Duration> timings) throws SQLException, IOException {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        StringBuilder md = new StringBuilder("# Machine\n\n");
        md.append("The machine of the run of ").append(when).append(" (").append(minutes(took)).append(").\n\n");
        md.append("| what | value |\n|---|---|\n");
        md.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" (").append(cpuModel()).append(") |\n");
        md.append("| memory | ").append(memory < 0 ? "unknown" : Report.number(memory / (1024.0 * 1024 * 1024), 1) + " GiB").append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", ").append(System.getProperty("os.arch")).append(" |\n");
        md.append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(" (").append(System.getProperty("java.vm.vendor")).append("); ")
                .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(arg -> arg.startsWith("-X")).toList())).append(" |\n");
        md.append("| load average (1 min) | ").append(Report.number(loadBefore, 2)).append(" before, ")
                .append(Report.number(loadAfter, 2)).append(" after: other builds share these cores |\n");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            md.append("| PostgreSQL | ").append(single(statement, "select version()")).append(" |\n");
            md.append("| server | embedded (zonky), same machine, loopback TCP; ");
            for (String setting : List.of("shared_buffers", "synchronous_commit", "fsync", "max_connections", "jit")) {
                md.append(setting).append(" = ").append(single(statement, "show " + setting)).append("; ");
            }
            md.setLength(md.length() - 2);
            md.append(" |\n");
        }
        md.append("| driver and pool | pgjdbc, HikariCP (2 connections per scenario, auto-commit off), one benchmark thread |\n");
        md.append("| JMH | 1.37, SampleTime, ").append(settings.describe()).append(" |\n");
        md.append("| other builds running (`pgrep -fc 'maven|surefire'`, this run's own Maven included) | ")
                .append(otherBuilds).append(" at the start |\n");
        if (!timings.isEmpty()) {
            md.append("\n## Where the time went\n\n| part | time |\n|---|---:|\n");
            timings.forEach((part, time) -> md.append("| ").append(part).append(" | ").append(minutes(time)).append(" |\n"));
        }
        return md.toString();
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        }
        return "model unknown";
    }

    private static String minutes(Duration took) {
        return took.toMinutes() + " min " + took.toSecondsPart() + " s";
    }

    /** The parts to run: every part unless {@code bench.parts} names some, comma-separated. */
    private static Set<String> parts(String value) {
        Set<String> all = new LinkedHashSet<>(PARTS);
        if (value == null || value.isBlank()) {
            return all;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.strip();
            if (!all.contains(name)) {
                throw new IllegalArgumentException("bench.parts: unknown part '" + name + "'; the parts are " + PARTS);
            }
            chosen.add(name);
        }
        return chosen;
    }

    private static boolean flag(String value) {
        // Maven passes -Dbench.quick as "true"; an empty value counts as set too.
        return value != null && (value.isEmpty() || Boolean.parseBoolean(value));
    }
}
