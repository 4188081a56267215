package dev.sentinel.codegen.internal;

import dev.sentinel.codegen.internal.ClosedSets.ClosedSet;
import dev.sentinel.codegen.internal.SecretColumns.SecretColumn;
import dev.sentinel.schema.InvalidMigrationSourceException;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.internal.PrismaHistory;
import dev.sentinel.schema.tools.lint.Finding;
import dev.sentinel.schema.tools.lint.LintBaseline;
import dev.sentinel.schema.tools.lint.LintOptions;
import dev.sentinel.schema.tools.lint.SchemaLinter;
import dev.sentinel.schema.tools.reference.SchemaReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.OnError;
import org.jooq.meta.jaxb.SchemaMappingType;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;

/**
 * Runs one {@link SchemaBuild}.
 *
 * <ol>
 *   <li>Reads any Prisma history (so that a wrong one fails at once), hashes every input
 *       ({@link InputHash}) and, when the hash, the generated files and the schema reference are as
 *       the last successful run left them, stops there: no PostgreSQL is started.</li>
 *   <li>Otherwise opens a {@link TargetDatabase} (embedded, Testcontainers or an existing server)
 *       in try-with-resources, applies Sentinel's migrations and then the project's, each with its
 *       own history, as the owner role. The embedded server starts on a copy of Sentinel's migrated
 *       schema from the machine cache ({@link TemplateCache}), so only the project's migrations run.</li>
 *   <li>Fingerprints the migrated catalog ({@link CatalogFingerprint}); when it and the
 *       configuration are as the last successful run left them, stops there: a change that left the
 *       catalog identical (a comment) needs no lint and no jOOQ.</li>
 *   <li>Refuses columns and tables whose Java names would clash ({@link NameCollisions}), then runs
 *       the schema linter ({@link SchemaLinter}) on Sentinel's schema and the input schema, and
 *       fails with its summary and report on any finding the baseline does not accept, unless
 *       {@link SchemaBuild#lint()} says to warn or not to lint; then, if asked, writes the Markdown
 *       reference of the input schema ({@link SchemaReference}).</li>
 *   <li>Reads the closed sets (CHECK constraints) and the {@code sentinel:secret} columns of the
 *       input schema (typed {@code Secret}, see {@link SecretColumns}), drops excluded columns from
 *       the scratch database, and generates jOOQ classes into a staging directory: for a project's
 *       schema, together with the Sentinel tables its foreign keys reach, whose classes are thrown
 *       away so that references to them resolve to sentinel-core's; extensions' objects are left
 *       out ({@link CatalogObjects}).</li>
 *   <li>Writes the enums, then copies only changed files into the source root and deletes stale
 *       ones ({@link OutputSync}), and records the hash and the manifest ({@link CodegenState}).</li>
 * </ol>
 *
 * <p>Not thread-safe; the plugin creates one per execution.
 */
public final class CodeGenerator {

    /** The staging directory inside the work directory. */
    static final String STAGING = "staging";

    // Held so that the level set on it is not lost to garbage collection.
    private static final Logger FLYWAY_LOGGER = Logger.getLogger("org.flywaydb");

    private final ClassLoader classLoader;
    private final CodegenLog log;
    // Set by open(): the database is a copy of the machine cache's template, where Sentinel's and
    // the modules' migrations are current (the template's key is their hash).
    private boolean fromTemplate;
    // Set by open(): this build made the machine cache's entry.
    private boolean templateMade;
    // jOOQ loading on a background thread while the build waits for PostgreSQL, or null.
    private JooqWarmup warmup;

    /**
     * Creates a generator.
     *
     * @param classLoader the loader that sees the migrations, Flyway, jOOQ and the naming strategy
     * @param log where steps are reported
     */
    public CodeGenerator(ClassLoader classLoader, CodegenLog log) {
        this.classLoader = classLoader;
        this.log = log;
    }

    /**
     * What one {@link #generate} call did.
     *
     * @param skipped true if the inputs were unchanged and nothing was started or written
     * @param written files created or overwritten
     * @param unchanged files whose content was already right
     * @param deleted stale files removed
     * @param files generated files in the source root afterwards
     * @param closedSets enums generated for CHECK constraints (0 when skipped)
     * @param secretColumns columns typed {@code Secret} (0 when skipped)
     */
    public record Result(boolean skipped, int written, int unchanged, int deleted, int files, int closedSets,
            int secretColumns) {
    }

    /**
     * Generates the classes of {@code build}, or nothing if its inputs are unchanged.
     *
     * @param build the validated request
     * @return what was done
     * @throws GenerationException naming the step that failed and what to change, with its cause
     */
    public Result generate(SchemaBuild build) {
        if (!build.sentinelSchema() && isWithin(build.packageName(), SentinelGeneratorStrategy.CORE_PACKAGE)) {
            throw new GenerationException("<packageName> " + build.packageName() + " overlaps sentinel-core's "
                    + SentinelGeneratorStrategy.CORE_PACKAGE + ": choose a package of your own, such as com.example.db",
                    null);
        }
        checkPrismaHistories(build);
        Path work = build.workDirectory();
        String inputs = InputHash.of(build, classLoader);
        CodegenState previous = CodegenState.read(work);
        try {
            boolean referenceIntact = build.schemaReference() == null
                    || CodegenState.referenceIntact(work, build.schemaReference());
            if (!build.force() && inputs.equals(previous.inputs())
                    && OutputSync.intact(build.directory(), previous.manifest()) && referenceIntact) {
                log.info("Sentinel codegen: inputs unchanged (sha256 " + inputs.substring(0, 12) + "), "
                        + previous.manifest().size() + " files in " + build.directory()
                        + " are up to date; PostgreSQL not started");
                String lintReport = build.lint() == LintMode.WARN ? CodegenState.readLintReport(work) : null;
                if (lintReport != null) {
                    // Logged in full once, by the build that linted; repeating it on every no-op build
                    // buries everything else.
                    log.info("Sentinel codegen: the schema lint findings of the last run still stand; they are in "
                            + work.resolve(CodegenState.LINT));
                }
                return new Result(true, 0, previous.manifest().size(), 0, previous.manifest().size(), 0, 0);
            }
            if (build.server().mode() == DatabaseMode.EMBEDDED) {
                // What the server's start and the migrations need first, beside the rest of the hashing
                // and the wait for initdb and the server (not in a no-op build, which needs neither).
                // Flyway runs unless the migrations go onto a copy of the machine cache's template.
                Preload.start(classLoader, build.machineCache() == null || build.sentinelSchema(), log);
            }
            String reason = build.force() ? "forced"
                    : previous.inputs().isEmpty() ? "no record of a previous run"
                    : !inputs.equals(previous.inputs()) ? "inputs changed"
                    : !referenceIntact ? "the schema reference was changed or removed"
                    : "generated files were changed or removed";
            Path staging = work.resolve(STAGING);
            OutputSync.deleteTree(staging);
            Laps laps = new Laps(log);
            List<ClosedSet> closedSets;
            List<SecretColumn> secrets;
            String lintReport;
            String reference;
            String configuration = InputHash.withoutProjectMigrations(build, classLoader);
            String catalog;
            boolean outputsIntact = OutputSync.intact(build.directory(), previous.manifest()) && referenceIntact;
            String packagePath = build.packageName().replace('.', '/');
            // Only where Sentinel's schema comes from the machine cache too: a build that keeps its
            // migrated schema nowhere keeps nothing else either.
            Path outputCache = build.machineCache() != null && !build.sentinelSchema() ? build.machineCache() : null;
            OutputCache.Counts cached = null;
            TargetDatabase opened;
            try {
                opened = open(build, reason, laps);
            } catch (IOException | RuntimeException e) {
                endWarmup(); // begun before initdb, for a server that never came
                throw e;
            }
            try (TargetDatabase database = opened; java.io.Closeable awaitWarmup = this::endWarmup) {
                // On the machine cache's new entry, the server started before Sentinel's migrations.
                laps.lap(templateMade ? "build database" : "server start");
                migrate(build, database);
                laps.lap("migrations");
                catalog = configuration + " " + catalogFingerprint(database);
                laps.lap("catalog fingerprint");
                if (!build.force() && !build.writeLintBaseline() && outputsIntact
                        && catalog.equals(CodegenState.readCatalog(work))) {
                    lintReport = null;
                    reference = null;
                    closedSets = null;
                    secrets = null;
                } else {
                    if (build.force() || outputCache == null || !OutputCache.has(outputCache, catalog)) {
                        startWarmup(build, database); // jOOQ will run: load it during the lint
                    }
                    // Before the lint: a collision is a plain naming matter, fixed in the pom, and a
                    // team adopting the lint should not meet it only after every lint finding.
                    checkNames(build, database);
                    laps.lap("names");
                    lintReport = lint(build, database);
                    laps.lap("lint");
                    if (build.schemaReference() != null) {
                        reference = reference(build, database);
                        laps.lap("schema reference");
                    } else {
                        reference = null;
                    }
                    cached = build.force() || outputCache == null ? null
                            : OutputCache.restore(outputCache, catalog, staging, packagePath);
                    if (cached != null) {
                        secrets = List.of();
                        closedSets = List.of();
                        laps.lap("generated files from the machine cache");
                    } else {
                        secrets = withoutExcluded(build, secretColumns(build, database), SecretColumn::table,
                                SecretColumn::column);
                        closedSets = build.enums()
                                ? withoutExcluded(build, withoutSecrets(closedSets(build, database), secrets),
                                        ClosedSet::table, ClosedSet::column)
                                : List.of();
                        JooqInputs jooqInputs = prepareForJooq(build, database);
                        laps.lap("closed sets and exclusions");
                        endWarmup();
                        laps.lap("jOOQ warm-up (rest)");
                        jooq(build, database, staging, closedSets, secrets, jooqInputs);
                        laps.lap("jOOQ");
                    }
                }
            }
            laps.lap("server stop");
            if (closedSets == null) {
                // The migrations changed, the catalog they give did not: what was generated from it stands.
                new CodegenState(inputs, previous.manifest()).write(work);
                log.info(String.format(java.util.Locale.ROOT, "Sentinel codegen: the migrations changed but the catalog"
                        + " they give is identical to the last run's: lint, schema reference and jOOQ skipped, %d files"
                        + " in %s are up to date, in %s", previous.manifest().size(), build.directory(), laps));
                return new Result(false, 0, previous.manifest().size(), 0, previous.manifest().size(), 0, 0);
            }
            OutputCache.Counts counts;
            if (cached != null) {
                counts = cached;
            } else {
                int typeEnums = writeEnums(build, staging, closedSets);
                counts = new OutputCache.Counts(typeEnums,
                        (int) closedSets.stream().map(ClosedSet::className).distinct().count(), closedSets.size(),
                        secrets.size());
                if (outputCache != null) {
                    OutputCache.store(outputCache, catalog, staging, packagePath, counts, log);
                }
            }
            // Until here the source root and the record still match each other (a failed run, or a
            // testcontainers run without Docker, costs the next build nothing); from here they may not.
            CodegenState.invalidate(work);
            OutputSync.Result synced = OutputSync.sync(staging, build.directory(), packagePath, previous.manifest());
            writeReference(build, reference);
            CodegenState.writeLintReport(work, lintReport);
            CodegenState.writeCatalog(work, catalog);
            new CodegenState(inputs, synced.manifest()).write(work);
            OutputSync.deleteTree(staging);
            laps.lap("writing");
            log.info(String.format(java.util.Locale.ROOT,
                    "Sentinel codegen: schema %s -> %s: %d files written, %d unchanged, %d stale removed"
                            + " (%d enums from PostgreSQL enum types, %d from CHECK constraints, %d secret columns)"
                            + "%s in %s",
                    build.inputSchema(), build.packageName(), synced.written(), synced.unchanged(), synced.deleted(),
                    counts.typeEnums(), counts.closedSetEnums(), counts.secretColumns(),
                    cached == null ? "" : ", copied from the machine cache, where a build generated them from the same"
                            + " catalog and configuration (no jOOQ run)",
                    laps));
            return new Result(false, synced.written(), synced.unchanged(), synced.deleted(),
                    synced.manifest().size(), counts.closedSets(), counts.secretColumns());
        } catch (IOException e) {
            throw new GenerationException("Could not write the generated sources to " + build.directory()
                    + " or the plugin's state to " + work + ": " + e.getMessage(), e);
        }
    }

    private String catalogFingerprint(TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            return CatalogFingerprint.of(connection);
        } catch (SQLException e) {
            throw new GenerationException("Could not read the migrated catalog on " + database.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private TargetDatabase open(SchemaBuild build, String reason, Laps laps) throws IOException {
        SchemaBuild.Server server = build.server();
        Path work = build.workDirectory();
        switch (server.mode()) {
            case EMBEDDED -> {
                Path serverLog = work.resolve("postgres.log");
                if (build.machineCache() != null && !build.sentinelSchema()) {
                    Path copy = work.resolve("pgdata");
                    TemplateCache.Opened opened = TemplateCache.open(build, classLoader, copy, serverLog,
                            // The first build on a machine runs jOOQ: load it while initdb runs, then
                            // warm it on the server during Sentinel's migrations.
                            () -> beginWarmup(build),
                            target -> {
                                laps.lap("server start (initdb)");
                                startWarmup(build, target);
                                migrateTemplate(build, target);
                                laps.lap("Sentinel's migrations into the machine cache");
                                templateMade = true;
                            }, log);
                    log.info("Sentinel codegen: " + reason + ", started embedded PostgreSQL on Sentinel's migrated"
                            + " schema from the machine cache" + (opened.hit() ? "" : ", made just now") + " (its log: "
                            + serverLog + ")");
                    CodegenState.recordStart(work, server.mode());
                    fromTemplate = true;
                    return opened.target();
                }
                log.info("Sentinel codegen: " + reason + ", starting embedded PostgreSQL (its log: " + serverLog + ")");
                CodegenState.recordStart(work, server.mode());
                return EmbeddedTarget.start(serverLog, build.roles());
            }
            case JDBC -> {
                log.info("Sentinel codegen: " + reason + ", connecting to " + JdbcTarget.redact(server.jdbcUrl()));
                CodegenState.recordStart(work, server.mode());
                return JdbcTarget.open(server.jdbcUrl(), server.jdbcUser(), server.jdbcPassword(), build.roles());
            }
            case TESTCONTAINERS -> {
                TestcontainersTarget.requireDockerEngine();
                log.info("Sentinel codegen: " + reason + ", starting the container " + server.testcontainersImage());
                CodegenState.recordStart(work, server.mode());
                return TestcontainersTarget.start(server.testcontainersImage(), build.roles());
            }
            default -> throw new IllegalStateException("Unknown mode " + server.mode());
        }
    }

    /** Starts {@link JooqWarmup} without a server yet, unless it runs already. */
    private void beginWarmup(SchemaBuild build) {
        if (warmup == null) {
            warmup = JooqWarmup.start(build.workDirectory().resolve("warmup"), classLoader, null, log);
        }
    }

    /** Starts {@link JooqWarmup} on an embedded server, or hands it the server if it runs already. */
    private void startWarmup(SchemaBuild build, TargetDatabase database) {
        if (database instanceof EmbeddedTarget embedded) {
            if (warmup == null) {
                warmup = JooqWarmup.start(build.workDirectory().resolve("warmup"), classLoader,
                        embedded.maintenanceDataSource(), log);
            } else {
                warmup.useServer(embedded.maintenanceDataSource());
            }
        }
    }

    /** Waits for {@link JooqWarmup}, if it runs: before jOOQ's own run and before the server stops. */
    private void endWarmup() {
        if (warmup != null) {
            warmup.close();
            warmup = null;
        }
    }

    /**
     * Applies Sentinel's and the modules' migrations only: the template the machine cache keeps
     * ({@link TemplateMigrations}).
     */
    private void migrateTemplate(SchemaBuild build, TargetDatabase database) {
        FLYWAY_LOGGER.setLevel(Level.WARNING);
        try {
            TemplateMigrations.apply(database.ownerDataSource(), build, classLoader, log);
        } catch (RuntimeException e) {
            throw new GenerationException("Sentinel's migrations failed on " + database.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    private void migrate(SchemaBuild build, TargetDatabase database) {
        // Flyway logs every step at INFO; the build log needs only its warnings.
        FLYWAY_LOGGER.setLevel(Level.WARNING);
        try {
            if (fromTemplate && TemplateMigrations.applyProject(database.ownerDataSource(), build, classLoader, log)) {
                return;
            }
            Migrations.Builder migrations = Migrations.builder(database.ownerDataSource())
                    .roles(build.roles())
                    .serviceLocations(build.locations().toArray(String[]::new))
                    .serviceSchema(build.sentinelSchema() ? "public" : build.inputSchema())
                    .placeholders(build.placeholders())
                    .layersCurrent(fromTemplate)
                    .classLoader(classLoader);
            build.modules().forEach(migrations::module);
            Migrations.Result result = migrations.build().migrate();
            log.debug("Sentinel codegen: applied " + (fromTemplate ? "none of Sentinel's and its modules' migrations"
                    + " (current in the machine cache's template)" : result.sentinelApplied() + " of Sentinel's migrations, "
                    + result.modulesApplied() + " of its modules'") + " and " + result.serviceApplied()
                    + " of the project's on " + database.describe());
        } catch (RuntimeException e) {
            throw new GenerationException("Migrations failed on " + database.describe() + ": " + e.getMessage()
                    + "\nFix the migration named above; the scratch database is thrown away after every build.", e);
        }
    }

    /**
     * Lints the migrated schemas as the build asks, against the baseline of accepted findings if
     * there is one.
     *
     * @return the report of the findings that are not accepted, in {@link LintMode#WARN}, or null
     *     if there are none
     * @throws GenerationException with the summary and the new findings, in {@link LintMode#FAIL},
     *     if there are findings the baseline does not accept
     */
    private String lint(SchemaBuild build, TargetDatabase database) {
        if (build.lint() == LintMode.OFF) {
            log.info("Sentinel codegen: schema lint is off (<lint>off</lint>)");
            return null;
        }
        String[] schemas = build.sentinelSchema() ? new String[] {SchemaNames.SCHEMA}
                : new String[] {SchemaNames.SCHEMA, build.inputSchema()};
        List<Finding> findings;
        try (Connection admin = database.adminDataSource().getConnection()) {
            findings = SchemaLinter.lint(admin, LintOptions.builder().roles(build.roles()).schemas(schemas).build());
        } catch (SQLException | RuntimeException e) {
            throw new GenerationException("The schema linter failed on " + database.describe() + ": " + e.getMessage()
                    + ". Set <lint>off</lint> (-Dsentinel.codegen.lint=off) to generate without it.", e);
        }
        String where = String.join(" and ", schemas);
        Path baselineFile = build.lintBaseline();
        List<Finding> fresh = findings;
        if (baselineFile != null) {
            LintBaseline.Comparison comparison;
            try {
                if (build.writeLintBaseline()) {
                    LintBaseline.of(findings).write(baselineFile);
                    log.info("Sentinel codegen: wrote the " + findings.size() + " findings of the schema lint of " + where
                            + " into the lint baseline " + baselineFile + "; the build now fails only on new ones."
                            + " Check the file in.");
                }
                comparison = LintBaseline.read(baselineFile).compare(findings);
            } catch (IOException e) {
                throw new GenerationException("Could not read or write the lint baseline " + baselineFile + ": "
                        + e.getMessage(), e);
            }
            if (!comparison.accepted().isEmpty()) {
                log.info("Sentinel codegen: " + comparison.accepted().size() + " findings of the schema lint of " + where
                        + " are accepted by the lint baseline " + baselineFile + ".\n"
                        + SchemaLinter.summary(comparison.accepted()));
            }
            if (!comparison.fixed().isEmpty()) {
                log.warn("Sentinel codegen: " + comparison.fixed().size() + " findings accepted by the lint baseline "
                        + baselineFile + " no longer occur: they are fixed. Remove these lines from it, so that they"
                        + " cannot come back unnoticed:\n  " + String.join("\n  ", comparison.fixed()));
            }
            fresh = comparison.fresh();
        }
        if (fresh.isEmpty()) {
            if (findings.isEmpty()) {
                log.info("Sentinel codegen: schema lint of " + where + ": no findings");
            } else {
                log.info("Sentinel codegen: schema lint of " + where + ": no findings beyond the lint baseline");
            }
            return null;
        }
        String what = baselineFile == null ? "" : " " + fresh.size() + " findings are not in the lint baseline "
                + baselineFile + ".";
        String report = SchemaLinter.report(fresh);
        if (build.lint() == LintMode.FAIL) {
            throw new GenerationException("Sentinel codegen: the schema lint of " + where + " failed." + what + "\n"
                    + report + "\n\nFix the migrations (each finding says how)"
                    + (baselineFile == null
                            ? ". To adopt the linter on an existing schema step by step, accept today's findings in a"
                                    + " baseline: <lintBaseline>src/main/resources/db/lint-baseline.txt</lintBaseline>"
                                    + " and one build with -Dsentinel.codegen.writeLintBaseline (docs/codegen.md,"
                                    + " \"Adopting an existing schema\")"
                            : ", or accept them for now by adding their first lines to the lint baseline")
                    + ". <lint>warn</lint> (-Dsentinel.codegen.lint=warn) generates anyway.", null);
        }
        log.warn("Sentinel codegen: the schema lint of " + where + " has findings; generating anyway"
                + " (<lint>warn</lint>)." + what + "\n" + report);
        return report;
    }

    /**
     * Reads every Prisma history of the build before anything is hashed or started, so that a
     * missing lock file or a history for another database fails at once.
     */
    private void checkPrismaHistories(SchemaBuild build) {
        for (String location : build.locations()) {
            if (PrismaHistory.isPrismaLocation(location)) {
                try {
                    PrismaHistory history = PrismaHistory.read(location, classLoader);
                    log.debug("Sentinel codegen: " + history.folders().size() + " Prisma migration folders in "
                            + location + ", in Prisma's order: " + history.folders().stream()
                                    .map(PrismaHistory.Folder::name).toList());
                } catch (InvalidMigrationSourceException e) {
                    throw new GenerationException("<locations>: " + e.getMessage(), e);
                }
            }
        }
        if (build.locations().size() > 1 && build.locations().stream().anyMatch(PrismaHistory::isPrismaLocation)) {
            throw new GenerationException("<locations> " + build.locations() + " combine a Prisma migrations folder"
                    + " with other locations: a Prisma history is the whole of the project's migrations. Name it"
                    + " alone (<locations>prisma:filesystem:prisma/migrations</locations>) and add further"
                    + " migrations as Prisma folders.", null);
        }
    }

    /** The Markdown reference of the input schema, read from the migrated catalog. */
    private String reference(SchemaBuild build, TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            return SchemaReference.markdown(connection, List.of(build.inputSchema()));
        } catch (SQLException | RuntimeException e) {
            throw new GenerationException("Could not write the schema reference of " + build.inputSchema() + ": "
                    + e.getMessage() + ". Leave out <schemaReference> to generate without it.", e);
        }
    }

    /** Writes the reference if its content changed (an unchanged file keeps its timestamp), and records it. */
    private void writeReference(SchemaBuild build, String reference) throws IOException {
        Path file = build.schemaReference();
        if (file == null) {
            CodegenState.writeReference(build.workDirectory(), null, null);
            return;
        }
        byte[] bytes = reference.getBytes(StandardCharsets.UTF_8);
        boolean same = Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes);
        if (!same) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        }
        CodegenState.writeReference(build.workDirectory(), file, OutputSync.sha256(bytes));
        log.info("Sentinel codegen: schema reference of " + build.inputSchema() + " "
                + (same ? "unchanged" : "written") + ": " + file);
    }

    private List<ClosedSet> closedSets(SchemaBuild build, TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            return ClosedSets.read(connection, build.inputSchema(), log);
        } catch (SQLException e) {
            throw new GenerationException("Could not read the CHECK constraints of schema " + build.inputSchema()
                    + ": " + e.getMessage() + ". Set <enums>false</enums> to generate without enums.", e);
        }
    }

    private List<SecretColumn> secretColumns(SchemaBuild build, TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            return SecretColumns.read(connection, build.inputSchema(), log);
        } catch (SQLException e) {
            throw new GenerationException("Could not read the sentinel:secret columns of schema " + build.inputSchema()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A secret column holds sealed text, never one of a list of values: it is typed Secret, not an enum. */
    private static List<ClosedSet> withoutSecrets(List<ClosedSet> closedSets, List<SecretColumn> secrets) {
        return closedSets.stream()
                .filter(set -> !secrets.contains(new SecretColumn(set.schema(), set.table(), set.column())))
                .toList();
    }

    /** Drops what {@code <columns>} leaves out from a list of columns. */
    private static <T> List<T> withoutExcluded(SchemaBuild build, List<T> columns,
            java.util.function.Function<T, String> table, java.util.function.Function<T, String> column) {
        return columns.stream().filter(c -> {
            SchemaBuild.Column override = build.columns().get(table.apply(c) + "." + column.apply(c));
            return override == null || !override.exclude();
        }).toList();
    }

    /**
     * Refuses {@code <columns>} overrides of columns that do not exist and columns or tables whose
     * Java names would clash, before anything is generated.
     */
    private void checkNames(SchemaBuild build, TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            CatalogObjects.Objects extension = CatalogObjects.extensionObjects(connection, build.inputSchema());
            checkColumnOverrides(build, connection);
            List<String> clashes = NameCollisions.find(connection, build,
                    build.extensionObjects() ? Set.of() : extension.relations());
            if (!clashes.isEmpty()) {
                throw new GenerationException("Sentinel codegen: " + clashes.size() + (clashes.size() == 1
                        ? " name collision" : " name collisions") + " in schema " + build.inputSchema()
                        + "; nothing was generated.\n  " + String.join("\n  ", clashes), null);
            }
        } catch (SQLException e) {
            throw new GenerationException("Could not read the catalog of schema " + build.inputSchema() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Everything between the lint and jOOQ that reads the catalog: excluded columns dropped from
     * the scratch database (so that jOOQ never sees them), and the objects jOOQ is to leave out.
     *
     * @return what jOOQ is to leave out and to read
     */
    private JooqInputs prepareForJooq(SchemaBuild build, TargetDatabase database) {
        try (Connection connection = database.ownerDataSource().getConnection()) {
            CatalogObjects.Objects extension = CatalogObjects.extensionObjects(connection, build.inputSchema());
            for (Map.Entry<String, SchemaBuild.Column> column : build.columns().entrySet()) {
                if (column.getValue().exclude()) {
                    dropColumn(build, connection, column.getKey());
                }
            }
            List<String> leftOut = new ArrayList<>();
            if (!build.extensionObjects() && !extension.all().isEmpty()) {
                log.info("Sentinel codegen: " + extension.all().size() + " objects of extensions in schema "
                        + build.inputSchema() + " left out (<extensionObjects>true</extensionObjects> generates them)");
                log.debug("Sentinel codegen: extension objects left out: " + extension.all());
                leftOut.add(CatalogObjects.exactly(build.inputSchema(), extension.all()));
            }
            if (!build.sentinelSchema()) {
                Set<String> unreferenced = CatalogObjects.unreferencedSentinelObjects(connection, build.inputSchema());
                if (!unreferenced.isEmpty()) {
                    leftOut.add(CatalogObjects.exactly(SchemaNames.SCHEMA, unreferenced));
                }
            }
            return new JooqInputs(String.join("|", leftOut),
                    CatalogObjects.kindsPresent(connection, build.inputSchema(), build.extensionObjects()));
        } catch (SQLException e) {
            throw new GenerationException("Could not read the catalog of schema " + build.inputSchema() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * What jOOQ is to leave out and to read.
     *
     * @param leftOut a jOOQ regular expression of the extensions' and Sentinel's objects to leave out,
     *     or an empty string
     * @param kinds the kinds of object the input schema has ({@link CatalogObjects#kindsPresent}); jOOQ
     *     does not look for the others
     */
    record JooqInputs(String leftOut, Set<String> kinds) {
    }

    private static void checkColumnOverrides(SchemaBuild build, Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String name : build.columns().keySet()) {
            int dot = name.lastIndexOf('.');
            try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                    select 1 from pg_catalog.pg_attribute a
                      join pg_catalog.pg_class c on c.oid = a.attrelid
                      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                     where n.nspname = ? and c.relname = ? and a.attname = ? and a.attnum > 0 and not a.attisdropped""")) {
                statement.setString(1, build.inputSchema());
                statement.setString(2, dot < 0 ? "" : name.substring(0, dot));
                statement.setString(3, name.substring(dot + 1));
                try (java.sql.ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        missing.add(name);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new GenerationException("<columns> names " + missing + ", which schema " + build.inputSchema()
                    + " does not have: name each column as table.column, exactly as in the database (case-sensitive,"
                    + " without quotes), such as Task.createdAt", null);
        }
    }

    /**
     * Drops an excluded column from the scratch database, never from a real one: the database is
     * thrown away after the build. A column that a key over several columns, a view or a policy
     * needs cannot be left out, and the build says so.
     */
    private static void dropColumn(SchemaBuild build, Connection connection, String name) {
        int dot = name.lastIndexOf('.');
        String table = name.substring(0, dot);
        String column = name.substring(dot + 1);
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("alter table " + quoteIdentifier(build.inputSchema()) + "." + quoteIdentifier(table)
                    + " drop column " + quoteIdentifier(column));
        } catch (SQLException e) {
            throw new GenerationException("<columns>: " + name + " cannot be left out of the generated classes: "
                    + e.getMessage() + ". Only a column that no key over several columns, view or policy uses can be"
                    + " excluded; give it another <javaName> instead.", e);
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private void jooq(SchemaBuild build, TargetDatabase database, Path staging, List<ClosedSet> closedSets,
            List<SecretColumn> secrets, JooqInputs inputs) {

        // jOOQ prints a banner and tips unless told not to.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        GenerationTool tool = new GenerationTool();
        tool.setClassLoader(classLoader);
        Map<String, String> renames = new java.util.HashMap<>();
        build.columns().forEach((column, override) -> {
            if (override.javaName() != null && !override.exclude()) {
                renames.put(build.inputSchema() + "." + column, override.javaName());
            }
        });
        SentinelGeneratorStrategy.RENAMES.set(renames);
        try (Connection connection = database.ownerDataSource().getConnection()) {
            tool.setConnection(connection);
            Configuration configuration = jooqConfiguration(build, staging, closedSets, secrets, inputs);
            if (log.debugEnabled()) {
                // jOOQ's own lines time its reading of the catalog and its writing of each object.
                configuration.setLogging(Logging.DEBUG);
            }
            tool.run(configuration);
        } catch (Exception e) {
            throw new GenerationException("jOOQ code generation failed: " + e.getMessage()
                    + ". Check <includes> and <excludes> (jOOQ regular expressions).", e);
        } finally {
            SentinelGeneratorStrategy.RENAMES.remove();
        }
    }

    static Configuration jooqConfiguration(SchemaBuild build, Path staging, List<ClosedSet> closedSets,
            List<SecretColumn> secrets, JooqInputs inputs) {
        String leftOut = inputs.leftOut();
        Database database = new Database()
                .withName("org.jooq.meta.postgres.PostgresDatabase")
                // Sentinel's own routines and types are always left out (its classes are thrown away),
                // so the input schema alone decides whether jOOQ looks for these at all.
                .withIncludeRoutines(inputs.kinds().contains("routines"))
                .withIncludeDomains(inputs.kinds().contains("domains"))
                .withIncludeUDTs(inputs.kinds().contains("udts"))
                .withIncludeSequences(inputs.kinds().contains("sequences"))
                .withExcludes(SchemaNames.HISTORY_TABLE + (build.excludes().isBlank() ? "" : "|(?:" + build.excludes() + ")")
                        + (leftOut.isBlank() ? "" : "|" + leftOut));
        if (build.sentinelSchema()) {
            database.withInputSchema(build.inputSchema()).withIncludes(build.includes());
        } else {
            // Sentinel's schema is generated too, only so that references into it resolve; its files
            // are dropped, and every one of its objects is included so that no foreign key is lost.
            database.withSchemata(
                            new SchemaMappingType().withInputSchema(build.inputSchema()),
                            new SchemaMappingType().withInputSchema(SchemaNames.SCHEMA))
                    .withIncludes(regexLiteral(SchemaNames.SCHEMA + ".") + ".*|(?:" + build.includes() + ")");
        }
        for (ClosedSet set : closedSets) {
            database.getForcedTypes().add(new ForcedType()
                    .withUserType(EnumWriter.qualifiedName(build.packageName(), set))
                    .withConverter(EnumWriter.converterExpression(build.packageName(), set))
                    .withIncludeExpression(regexLiteral(set.schema() + "." + set.table() + "." + set.column())));
        }
        for (SecretColumn secret : secrets) {
            database.getForcedTypes().add(new ForcedType()
                    .withUserType(SecretColumns.USER_TYPE)
                    .withConverter("new " + SecretColumns.CONVERTER + "()")
                    .withIncludeExpression(regexLiteral(secret.schema() + "." + secret.table() + "." + secret.column())));
        }
        return new Configuration()
                .withLogging(Logging.WARN)
                .withOnError(OnError.FAIL)
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        .withStrategy(new Strategy().withName(SentinelGeneratorStrategy.class.getName()))
                        .withDatabase(database)
                        .withGenerate(generateSettings())
                        .withTarget(new Target()
                                // jOOQ upper-cases names in this locale: the default would turn id into
                                // İD under a Turkish locale. "und" is Locale.ROOT.
                                .withLocale("und")
                                .withPackageName(build.packageName())
                                .withDirectory(staging.toString())
                                .withClean(true)));
    }

    /**
     * Writes the enums of the closed sets next to those jOOQ wrote for PostgreSQL enum types.
     *
     * @return how many enums jOOQ wrote for PostgreSQL enum types
     */
    private int writeEnums(SchemaBuild build, Path staging, List<ClosedSet> closedSets) throws IOException {
        Path directory = staging.resolve(build.packageName().replace('.', '/')).resolve(EnumWriter.SUBPACKAGE);
        int typeEnums = 0;
        if (Files.isDirectory(directory)) {
            try (java.util.stream.Stream<Path> files = Files.list(directory)) {
                typeEnums = (int) files.filter(f -> f.toString().endsWith(".java")).count();
            }
        }
        List<String> clashes = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (ClosedSet set : closedSets) {
            if (!written.add(set.className())) {
                continue; // a second column sharing a comment-named enum with the same values
            }
            Path file = directory.resolve(set.className() + ".java");
            if (Files.exists(file)) {
                clashes.add(set.className());
                continue;
            }
            Files.createDirectories(directory);
            Files.writeString(file, EnumWriter.source(build.packageName(), set), StandardCharsets.UTF_8);
        }
        if (!clashes.isEmpty()) {
            throw new GenerationException("The enums " + clashes + " for CHECK constraints clash with PostgreSQL enum"
                    + " types that jOOQ generated under the same names. Rename the types or the columns, or set"
                    + " <enums>false</enums>.", null);
        }
        return typeEnums;
    }

    /** A jOOQ regular expression (which jOOQ compiles with COMMENTS) that matches {@code text} literally. */
    static String regexLiteral(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                out.append('\\');
            }
            out.appendCodePoint(c);
        });
        return out.toString();
    }

    private static boolean isWithin(String packageName, String other) {
        return packageName.equals(other) || packageName.startsWith(other + ".") || other.startsWith(packageName + ".");
    }

    /**
     * What jOOQ generates, shared with {@link JooqWarmup} so that the warm-up loads the classes the
     * real run uses.
     */
    static Generate generateSettings() {
        return new Generate()
                // Every table gets its path constructor and Path subtype, also those that nothing
                // references yet: a downstream foreign key into a Sentinel table needs them in
                // sentinel-core's classes.
                .withImplicitJoinPathUnusedConstructors(true)
                .withJavaTimeTypes(true)
                .withFluentSetters(true)
                .withGeneratedAnnotation(false)
                .withComments(true);
    }
}
