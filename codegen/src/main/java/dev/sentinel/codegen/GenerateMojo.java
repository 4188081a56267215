package dev.sentinel.codegen;

import dev.sentinel.codegen.internal.CodeGenerator;
import dev.sentinel.codegen.internal.CodegenLog;
import dev.sentinel.codegen.internal.DatabaseMode;
import dev.sentinel.codegen.internal.GenerationException;
import dev.sentinel.codegen.internal.LintMode;
import dev.sentinel.codegen.internal.SchemaBuild;
import dev.sentinel.codegen.internal.SentinelGeneratorStrategy;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import dev.sentinel.schema.internal.PrismaHistory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed jOOQ classes from versioned SQL, against a real PostgreSQL.
 *
 * <p>First it hashes every input: the project's and Sentinel's migrations, this configuration and
 * the placeholders, the plugin's own classes, sentinel-schema's and sentinel-schema-tools', and the
 * jOOQ version. When the hash and the generated files are as the last run left them, it logs one
 * line and does nothing else. Otherwise it gets a PostgreSQL ({@link #database}: embedded by
 * default), creates Sentinel's roles and a scratch database owned by the owner role, applies
 * Sentinel's migrations (schema {@code sentinel}, their own history), then each of {@link #modules}
 * (its own schema and history), then the project's ({@link #locations}, in schema
 * {@link #inputSchema}, their own history; the embedded server starts on a copy of Sentinel's and the
 * modules' schemas migrated once per machine, kept in {@link #machineCache}), and generates jOOQ
 * classes for {@link #inputSchema} only. Foreign keys into Sentinel's tables refer to
 * sentinel-core's classes; single-column CHECK constraints that list the allowed values become Java
 * enums. The project's migrations may be a Prisma migrations folder instead
 * ({@code prisma:filesystem:prisma/migrations}), and with {@link #schemaReference} the plugin also
 * writes a Markdown reference of the schema. Only files whose content changed are written, stale
 * ones are deleted, and {@link #directory} is added as a compile (or test) source root. The
 * database is thrown away even when a step fails. The plugin's own files (the input hash, the
 * manifest, the server log) are in {@code target/sentinel-codegen/<execution id>}.
 *
 * <p>A wrong configuration fails the build with a message that names the parameter and what to
 * change. Maven may run this goal for several modules in parallel; each execution has its own
 * server and state.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** Prefix of the user properties that set placeholders, as in {@code -Dsentinel.codegen.placeholders.key=value}. */
    public static final String PLACEHOLDER_PROPERTY_PREFIX = "sentinel.codegen.placeholders.";

    private static final Pattern JAVA_PACKAGE = Pattern.compile("[a-zA-Z_$][\\w$]*(\\.[a-zA-Z_$][\\w$]*)*");
    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The project being built; supplies the base directory and receives the source root. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The build session; supplies the {@code sentinel.codegen.placeholders.*} user properties. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** This execution; its id names the work directory, so two executions keep separate records. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    /**
     * Skips the goal: nothing is generated and no source root is added. Default {@code false}.
     */
    @Parameter(property = "sentinel.codegen.skip", defaultValue = "false")
    private boolean skip;

    /**
     * The Java package of the generated classes; the enums for CHECK constraints go into its
     * {@code enums} subpackage. Default <code>${project.groupId}.db</code>.
     */
    @Parameter(property = "sentinel.codegen.packageName", defaultValue = "${project.groupId}.db")
    private String packageName;

    /**
     * The PostgreSQL schema whose tables become Java classes. The project's migrations run in it,
     * with their own Flyway history. {@code sentinel} generates Sentinel's own schema from
     * Sentinel's migrations alone (that is how sentinel-core builds). Default {@code public}.
     */
    @Parameter(property = "sentinel.codegen.inputSchema", defaultValue = "public")
    private String inputSchema;

    /**
     * Flyway locations of the project's own migrations, applied after Sentinel's. A relative
     * {@code filesystem:} location is resolved against the project's base directory; a
     * {@code classpath:} location is looked up on the plugin's class path (add the jar that holds it
     * as a dependency of the plugin). Or one Prisma migrations folder instead,
     * {@code prisma:filesystem:prisma/migrations} (or {@code prisma:classpath:...}): its
     * {@code migration_lock.toml} must name PostgreSQL, and its {@code <timestamp>_<name>} folders
     * run in Prisma's order. Comma-separated as a user property. Default
     * {@code filesystem:src/main/resources/db/migration}.
     */
    @Parameter(property = "sentinel.codegen.locations", defaultValue = "filesystem:src/main/resources/db/migration")
    private List<String> locations;

    /**
     * Modules on top of Sentinel's kernel whose tables the project's migrations build on, such as the
     * agency domain: each a {@code <module>} with its {@code <schema>} and {@code <locations>},
     * applied after Sentinel's migrations and before the project's, each with its own history, as
     * {@code Sentinel.builder().module(...)} applies them at run time. A relative {@code filesystem:}
     * location is resolved against the project's base directory; for a {@code classpath:} location
     * add the module's jar (such as {@code sentinel-agency}) as a dependency of the plugin. Only the
     * project's {@link #inputSchema} is generated and linted; the module's classes come with its jar.
     * Default: none.
     */
    @Parameter
    private List<ModuleMigrations> modules = new ArrayList<>();

    /**
     * Where the generated sources go; added to the compile source roots. Files in the target
     * package's directory that the plugin did not generate this time are deleted. Default
     * <code>${project.build.directory}/generated-sources/sentinel</code>.
     */
    @Parameter(property = "sentinel.codegen.directory",
            defaultValue = "${project.build.directory}/generated-sources/sentinel")
    private File directory;

    /**
     * Flyway placeholders for both migration runs, as {@code <key>value</key>} elements. A user
     * property {@code sentinel.codegen.placeholders.key} sets or overrides one. The role placeholders
     * {@code sentinel_owner_role} and {@code sentinel_app_role} are always added. Default: none.
     */
    @Parameter
    private Map<String, String> placeholders = new LinkedHashMap<>();

    /**
     * A jOOQ regular expression of the objects of {@link #inputSchema} to generate (names may be
     * qualified, as in {@code public\.notes}). Default {@code .*}.
     */
    @Parameter(property = "sentinel.codegen.includes", defaultValue = ".*")
    private String includes;

    /**
     * A jOOQ regular expression of objects to leave out; the Flyway history tables are always left
     * out. It is matched against Sentinel's objects too, so do not exclude a table that your tables
     * reference. Default: none.
     */
    @Parameter(property = "sentinel.codegen.excludes", defaultValue = "")
    private String excludes = "";

    /**
     * Whether a single-column CHECK constraint that lists the allowed values ({@code status in
     * ('draft', 'sent')}) turns its text column into a Java enum in the {@code enums} subpackage.
     * Default {@code true}.
     */
    @Parameter(property = "sentinel.codegen.enums", defaultValue = "true")
    private boolean enums;

    /**
     * What the schema linter's findings do. After the migrations ran, the linter checks Sentinel's
     * schema and {@link #inputSchema} against the rules that keep tenants apart (docs/linter.md):
     * {@code fail} fails the build with every finding and its fix, {@code warn} logs them as
     * warnings and generates anyway (and repeats them while the inputs stay unchanged), {@code off}
     * does not lint. Default {@code fail}.
     */
    @Parameter(property = "sentinel.codegen.lint", defaultValue = "fail")
    private String lint;

    /**
     * Where the PostgreSQL comes from: {@code embedded} (an embedded server, no Docker needed),
     * {@code testcontainers} (a container; needs a Docker engine) or {@code jdbc} (an existing
     * server named by {@link #jdbcUrl}, where the plugin creates and drops a scratch database).
     * Default {@code embedded}.
     */
    @Parameter(property = "sentinel.codegen.database", defaultValue = "embedded")
    private String database;

    /**
     * For {@code <database>jdbc</database>}: the JDBC URL of an existing database on the server that
     * the plugin may connect to, usually {@code jdbc:postgresql://localhost:5432/postgres}. The
     * plugin creates a scratch database next to it and drops it afterwards. Default: none.
     */
    @Parameter(property = "sentinel.codegen.jdbcUrl")
    private String jdbcUrl;

    /**
     * For {@code <database>jdbc</database>}: a superuser of that server (it creates Sentinel's roles
     * and the scratch database). Default: none, which takes the {@code user} of {@link #jdbcUrl}.
     */
    @Parameter(property = "sentinel.codegen.jdbcUser")
    private String jdbcUser;

    /**
     * For {@code <database>jdbc</database>}: the password of {@link #jdbcUser}. Never logged and not
     * part of the input hash. Default: none.
     */
    @Parameter(property = "sentinel.codegen.jdbcPassword")
    private String jdbcPassword;

    /**
     * For {@code <database>testcontainers</database>}: the Docker image, a PostgreSQL 15 or newer.
     * Default {@code postgres:18}.
     */
    @Parameter(property = "sentinel.codegen.testcontainersImage", defaultValue = "postgres:18")
    private String testcontainersImage;

    /**
     * The owner role's name, written into the migrations through the placeholder
     * {@code sentinel_owner_role}. Default {@code sentinel_owner}.
     */
    @Parameter(property = "sentinel.codegen.ownerRole", defaultValue = "sentinel_owner")
    private String ownerRole;

    /**
     * The application role's name, written into the migrations through the placeholder
     * {@code sentinel_app_role}. Default {@code sentinel_app}.
     */
    @Parameter(property = "sentinel.codegen.appRole", defaultValue = "sentinel_app")
    private String appRole;

    /**
     * Generates even when the inputs are unchanged. Default {@code false}.
     */
    @Parameter(property = "sentinel.codegen.force", defaultValue = "false")
    private boolean force;

    /**
     * Where to write a Markdown reference of {@link #inputSchema}, read from the migrated catalog: a
     * Mermaid ER diagram and, per table, its columns, keys, foreign keys with their delete actions,
     * tenant scope, soft delete, audit trigger, secret columns and comment. The same schema gives the
     * same bytes, so the file can be committed; it is rewritten only when its content changes, and
     * a build whose inputs are unchanged leaves it alone. Relative paths are resolved against the
     * project's base directory. Default: none (no reference).
     */
    @Parameter(property = "sentinel.codegen.schemaReference")
    private File schemaReference;

    /**
     * Adds {@link #directory} as a test source root instead of a main one: for tables that exist
     * only in test migrations. Default {@code false}.
     */
    @Parameter(property = "sentinel.codegen.testSources", defaultValue = "false")
    private boolean testSources;

    /**
     * Columns of {@link #inputSchema} that get other Java names or are left out, each a
     * {@code <column>} with its {@code <name>} ({@code table.column}, as in the database) and either a
     * {@code <javaName>} (the name the field, getter and setter are made from, such as
     * {@code created_at_prisma}) or {@code <exclude>true</exclude>}. The way out when two columns of a
     * table would get the same Java names, which the plugin refuses before jOOQ writes anything. A
     * list of elements, so no user property. Default: none.
     */
    @Parameter
    private List<ColumnOverride> columns = new ArrayList<>();

    /**
     * Whether objects that belong to a PostgreSQL extension installed in {@link #inputSchema}
     * (pgcrypto's and pg_trgm's routines, their table-valued functions and types) are generated as
     * well. Default {@code false}: they are left out of the project's package.
     */
    @Parameter(property = "sentinel.codegen.extensionObjects", defaultValue = "false")
    private boolean extensionObjects;

    /**
     * A file of accepted schema lint findings, one per line, checked in with the project. Findings
     * listed there are reported in the summary as accepted and do not fail the build; a finding not
     * listed fails it (with {@code <lint>fail</lint>}), and an accepted finding that no longer occurs
     * is reported as fixed, to be removed from the file. {@code -Dsentinel.codegen.writeLintBaseline}
     * writes the current findings into it. Relative paths are resolved against the project's base
     * directory. Default: none.
     */
    @Parameter(property = "sentinel.codegen.lintBaseline")
    private File lintBaseline;

    /**
     * Writes every current lint finding into {@link #lintBaseline} (accepting them all) instead of
     * failing on them. For the first build of an existing schema. Default {@code false}.
     */
    @Parameter(property = "sentinel.codegen.writeLintBaseline", defaultValue = "false")
    private boolean writeLintBaseline;

    /**
     * A directory of this machine where Sentinel's own migrated schema is kept between builds, one
     * entry per version of Sentinel's (and the modules') migrations and PostgreSQL, so that a build
     * applies only the project's migrations. It survives {@code mvn clean}. {@code off} migrates
     * Sentinel's schema on every build. Default <code>${user.home}/.cache/sentinel-codegen</code>.
     */
    @Parameter(property = "sentinel.codegen.machineCache", defaultValue = "${user.home}/.cache/sentinel-codegen")
    private String machineCache;

    /** Creates the mojo; Maven injects the parameters. */
    public GenerateMojo() {
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Sentinel codegen skipped (sentinel.codegen.skip=true)");
            return;
        }
        SchemaBuild build = configuration();
        try {
            new CodeGenerator(getClass().getClassLoader(), new MavenLog(getLog())).generate(build);
        } catch (GenerationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        addSourceRoot();
    }

    /** Adds {@link #directory} to the main or, with {@link #testSources}, the test source roots. */
    void addSourceRoot() {
        if (testSources) {
            project.addTestCompileSourceRoot(directory.getAbsolutePath());
        } else {
            project.addCompileSourceRoot(directory.getAbsolutePath());
        }
    }

    /**
     * Validates the parameters and turns them into a request, before anything is started.
     *
     * @return the request
     * @throws MojoFailureException naming the parameter and what to change
     */
    SchemaBuild configuration() throws MojoFailureException {
        if (inputSchema == null || !SQL_IDENTIFIER.matcher(inputSchema).matches()) {
            throw new MojoFailureException("<inputSchema> '" + inputSchema + "' is not a plain PostgreSQL schema name:"
                    + " use lower-case letters, digits and underscores (default: public)");
        }
        if (packageName == null || !JAVA_PACKAGE.matcher(packageName).matches()) {
            throw new MojoFailureException("<packageName> '" + packageName + "' is not a Java package name:"
                    + " set it to something like com.example.db");
        }
        boolean sentinelSchema = inputSchema.equals(SchemaNames.SCHEMA);
        String core = SentinelGeneratorStrategy.CORE_PACKAGE;
        if (!sentinelSchema && (packageName.equals(core) || packageName.startsWith(core + ".")
                || core.startsWith(packageName + "."))) {
            throw new MojoFailureException("<packageName> " + packageName + " overlaps " + core + ", where"
                    + " sentinel-core keeps the classes of Sentinel's schema: choose a package of your own,"
                    + " such as com.example.db");
        }
        Roles roles;
        try {
            roles = new Roles(ownerRole, appRole);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("<ownerRole>/<appRole>: " + e.getMessage(), e);
        }
        String includePattern = regex("includes", includes == null || includes.isBlank() ? ".*" : includes.trim());
        String excludePattern = regex("excludes", excludes == null ? "" : excludes.trim());
        Optional<DatabaseMode> mode = DatabaseMode.parse(database);
        if (mode.isEmpty()) {
            throw new MojoFailureException("<database> '" + database + "' is not a database mode: use embedded"
                    + " (the default: an embedded PostgreSQL), testcontainers (a container; needs Docker) or jdbc"
                    + " (an existing server named by <jdbcUrl>)");
        }
        Optional<LintMode> lintMode = LintMode.parse(lint);
        if (lintMode.isEmpty()) {
            throw new MojoFailureException("<lint> '" + lint + "' is not a lint mode: use fail (the default: findings"
                    + " fail the build), warn (log them and generate anyway) or off");
        }
        SchemaBuild.Server server = server(mode.get());
        return new SchemaBuild(inputSchema, packageName, directory.toPath(), projectLocations(sentinelSchema),
                moduleLayers(sentinelSchema), placeholders(), roles, includePattern, excludePattern, enums, server, lintMode.get(), force,
                workDirectory(), referencePath(), columnOverrides(), extensionObjects, projectPath(lintBaseline),
                machineCachePath(), writeLintBaseline);
    }

    private Map<String, SchemaBuild.Column> columnOverrides() throws MojoFailureException {
        Map<String, SchemaBuild.Column> result = new LinkedHashMap<>();
        for (ColumnOverride column : columns == null ? List.<ColumnOverride>of() : columns) {
            String name = column.getName() == null ? "" : column.getName().trim();
            String javaName = blankToNull(column.getJavaName());
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                throw new MojoFailureException("<columns>: '" + name + "' is not a column: write <name>table.column</name>,"
                        + " as in the database, such as Task.createdAt");
            }
            if ((javaName == null) == !column.isExclude()) {
                throw new MojoFailureException("<columns>: give " + name + " either a <javaName> (such as"
                        + " created_at_prisma) or <exclude>true</exclude>, not both and not neither");
            }
            if (javaName != null && !javaName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new MojoFailureException("<columns>: the <javaName> '" + javaName + "' of " + name + " is not a name"
                        + " of letters, digits and underscores, such as created_at_prisma");
            }
            if (result.put(name, new SchemaBuild.Column(javaName, column.isExclude())) != null) {
                throw new MojoFailureException("<columns> names " + name + " twice: keep one entry");
            }
        }
        return result;
    }

    private Path machineCachePath() {
        if (machineCache == null || machineCache.isBlank() || machineCache.trim().equals("off")) {
            return null;
        }
        return Path.of(machineCache.trim()).toAbsolutePath().normalize();
    }

    private Path referencePath() {
        return projectPath(schemaReference);
    }

    private Path projectPath(File file) {
        if (file == null || file.getPath().isBlank()) {
            return null;
        }
        Path path = file.toPath();
        return (path.isAbsolute() ? path : project.getBasedir().toPath().resolve(path)).normalize();
    }

    private Path workDirectory() {
        String execution = mojoExecution == null ? "default" : mojoExecution.getExecutionId();
        return Path.of(project.getBuild().getDirectory(), "sentinel-codegen", execution);
    }

    private SchemaBuild.Server server(DatabaseMode mode) throws MojoFailureException {
        if (mode != DatabaseMode.JDBC) {
            if (jdbcUrl != null && !jdbcUrl.isBlank()) {
                getLog().warn("Sentinel codegen: <jdbcUrl> is ignored because <database> is " + mode.configName()
                        + "; set <database>jdbc</database> to use it");
            }
            if (mode == DatabaseMode.TESTCONTAINERS && (testcontainersImage == null || testcontainersImage.isBlank())) {
                throw new MojoFailureException("<testcontainersImage> is empty: name a PostgreSQL 15+ image such as"
                        + " postgres:18 (the default)");
            }
            return new SchemaBuild.Server(mode, null, null, null,
                    mode == DatabaseMode.TESTCONTAINERS ? testcontainersImage.trim() : null);
        }
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new MojoFailureException("<database>jdbc</database> needs <jdbcUrl>: the JDBC URL of a database"
                    + " on an existing PostgreSQL 15+ server, such as jdbc:postgresql://localhost:5432/postgres"
                    + " (-Dsentinel.codegen.jdbcUrl=...), with <jdbcUser> and <jdbcPassword> of a superuser."
                    + " Or use <database>embedded</database>, which needs no server.");
        }
        if (!jdbcUrl.trim().startsWith("jdbc:postgresql:")) {
            throw new MojoFailureException("<jdbcUrl> must be a PostgreSQL JDBC URL starting with jdbc:postgresql:,"
                    + " such as jdbc:postgresql://localhost:5432/postgres");
        }
        return new SchemaBuild.Server(mode, jdbcUrl.trim(), blankToNull(jdbcUser), jdbcPassword, null);
    }

    private List<Migrations.Layer> moduleLayers(boolean sentinelSchema) throws MojoFailureException {
        List<ModuleMigrations> configured = modules == null ? List.of() : modules;
        if (sentinelSchema && !configured.isEmpty()) {
            throw new MojoFailureException("<modules> is set, but <inputSchema> is " + SchemaNames.SCHEMA
                    + ": Sentinel's own schema builds on no module; drop <modules>");
        }
        List<Migrations.Layer> layers = new ArrayList<>();
        for (ModuleMigrations module : configured) {
            String schema = module.getSchema() == null ? "" : module.getSchema().trim();
            if (!SQL_IDENTIFIER.matcher(schema).matches() || schema.equals(SchemaNames.SCHEMA) || schema.equals(inputSchema)
                    || layers.stream().anyMatch(layer -> layer.schema().equals(schema))) {
                throw new MojoFailureException("<modules>: '" + schema + "' is not a schema a module can have: give each"
                        + " <module> a <schema> of its own (a lower-case SQL name, not " + SchemaNames.SCHEMA
                        + ", not the project's <inputSchema> " + inputSchema + ", and not another module's), such as agency");
            }
            List<String> locations = new ArrayList<>();
            for (String location : module.getLocations()) {
                if (location != null && !location.isBlank()) {
                    locations.add(resolve(location.trim()));
                }
            }
            if (locations.isEmpty()) {
                throw new MojoFailureException("<modules>: module " + schema + " names no <locations>; add the Flyway"
                        + " location of its migrations, such as classpath:db/" + schema);
            }
            layers.add(new Migrations.Layer(schema, locations));
        }
        return layers;
    }

    private List<String> projectLocations(boolean sentinelSchema) throws MojoFailureException {
        List<String> result = new ArrayList<>();
        if (sentinelSchema) {
            return result;
        }
        for (String location : locations == null ? List.<String>of() : locations) {
            if (location == null || location.isBlank()) {
                continue;
            }
            String resolved = resolve(location.trim());
            boolean prisma = PrismaHistory.isPrismaLocation(resolved);
            String target = prisma ? PrismaHistory.target(resolved) : resolved;
            if (target.startsWith("filesystem:") && !Files.isDirectory(Path.of(target.substring("filesystem:".length())))) {
                throw new MojoFailureException("<locations>: " + target + " is not a directory. " + (prisma
                        ? "Point it at the folder that holds migration_lock.toml and the <timestamp>_<name> folders"
                                + " (usually prisma:filesystem:prisma/migrations)"
                        : "Put the project's migrations there (V1__init.sql, ...), or point <locations> at them"
                                + " (default filesystem:src/main/resources/db/migration)"));
            }
            result.add(resolved);
        }
        if (result.isEmpty()) {
            throw new MojoFailureException("<locations> is empty: name the Flyway locations of this project's"
                    + " migrations (default filesystem:src/main/resources/db/migration), or set"
                    + " <inputSchema>sentinel</inputSchema> to generate Sentinel's own schema");
        }
        return result;
    }

    private Map<String, String> placeholders() {
        Map<String, String> result = new LinkedHashMap<>();
        if (placeholders != null) {
            placeholders.forEach((key, value) -> result.put(key, value == null ? "" : value));
        }
        addPlaceholderProperties(result, project.getProperties());
        if (session != null) {
            addPlaceholderProperties(result, session.getUserProperties());
        }
        return result;
    }

    private static void addPlaceholderProperties(Map<String, String> target, Properties properties) {
        if (properties == null) {
            return;
        }
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PLACEHOLDER_PROPERTY_PREFIX) && name.length() > PLACEHOLDER_PROPERTY_PREFIX.length()) {
                target.put(name.substring(PLACEHOLDER_PROPERTY_PREFIX.length()), properties.getProperty(name));
            }
        }
    }

    private static String regex(String parameter, String value) throws MojoFailureException {
        try {
            // jOOQ compiles its regular expressions with COMMENTS.
            Pattern.compile(value, Pattern.COMMENTS);
            return value;
        } catch (PatternSyntaxException e) {
            throw new MojoFailureException("<" + parameter + "> '" + value + "' is not a valid regular expression: "
                    + e.getDescription() + ". It is a jOOQ (Java) regular expression such as notes|labels or"
                    + " public\\.notes", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String resolve(String location) {
        if (PrismaHistory.isPrismaLocation(location)) {
            return PrismaHistory.PREFIX + resolve(PrismaHistory.target(location));
        }
        String prefix = "filesystem:";
        if (!location.startsWith(prefix)) {
            return location;
        }
        Path path = Path.of(location.substring(prefix.length()));
        return prefix + (path.isAbsolute() ? path : project.getBasedir().toPath().resolve(path)).normalize();
    }

    /** The generator's log lines, sent to Maven's log. */
    private record MavenLog(Log log) implements CodegenLog {
        @Override
        public void info(String message) {
            log.info(message);
        }

        @Override
        public void debug(String message) {
            log.debug(message);
        }

        @Override
        public void warn(String message) {
            log.warn(message);
        }

        @Override
        public boolean debugEnabled() {
            return log.isDebugEnabled();
        }
    }
}
