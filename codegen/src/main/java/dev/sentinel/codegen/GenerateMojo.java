package dev.sentinel.codegen;

import dev.sentinel.codegen.internal.CodeGenerator;
import dev.sentinel.codegen.internal.SchemaBuild;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed jOOQ classes from versioned SQL, against a real PostgreSQL.
 *
 * <p>Starts an embedded PostgreSQL, creates Sentinel's roles and a scratch database owned by the
 * owner role, applies Sentinel's migrations (schema {@code sentinel}, their own history) and then the
 * project's (schema {@link #inputSchema}, their own history), generates jOOQ classes for
 * {@link #inputSchema} only, and adds {@link #directory} as a compile source root. The server is
 * stopped even when a step fails.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    private static final Pattern JAVA_PACKAGE = Pattern.compile("[a-zA-Z_$][\\w$]*(\\.[a-zA-Z_$][\\w$]*)*");
    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The project being built; supplies the base directory and receives the source root. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /**
     * Adds {@link #directory} as a test source root instead of a main one: for tables that exist
     * only in test migrations.
     */
    @Parameter(property = "sentinel.codegen.testSources", defaultValue = "false")
    private boolean testSources;

    /** Skips generation (and adds no source root). */
    @Parameter(property = "sentinel.codegen.skip", defaultValue = "false")
    private boolean skip;

    /**
     * The PostgreSQL schema whose tables become Java classes. The project's migrations run in it,
     * with their own Flyway history. {@code sentinel} generates Sentinel's own schema, from
     * Sentinel's migrations alone (that is how sentinel-core builds).
     */
    @Parameter(property = "sentinel.codegen.inputSchema", defaultValue = "public")
    private String inputSchema;

    /** The Java package of the generated classes. */
    @Parameter(property = "sentinel.codegen.packageName", defaultValue = "${project.groupId}.db")
    private String packageName;

    /** Where the generated sources go; added to the compile source roots. */
    @Parameter(property = "sentinel.codegen.directory",
            defaultValue = "${project.build.directory}/generated-sources/sentinel")
    private File directory;

    /**
     * Flyway locations of the project's own migrations, applied after Sentinel's. A relative
     * {@code filesystem:} location is resolved against the project's base directory.
     */
    @Parameter(property = "sentinel.codegen.locations", defaultValue = "filesystem:src/main/resources/db/migration")
    private List<String> locations;

    /** Flyway placeholders passed to both migration runs. The role placeholders are added to them. */
    @Parameter
    private Map<String, String> placeholders = new LinkedHashMap<>();

    /** The owner role's name, written into the migrations through its placeholder. */
    @Parameter(property = "sentinel.codegen.ownerRole", defaultValue = "sentinel_owner")
    private String ownerRole;

    /** The application role's name, written into the migrations through its placeholder. */
    @Parameter(property = "sentinel.codegen.appRole", defaultValue = "sentinel_app")
    private String appRole;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Sentinel codegen skipped (sentinel.codegen.skip=true)");
            return;
        }
        SchemaBuild build = configuration();
        long started = System.nanoTime();
        try {
            int files = new CodeGenerator(getClass().getClassLoader()).generate(build);
            getLog().info(String.format("Sentinel codegen: schema %s -> %s (%d files) in %d ms",
                    build.inputSchema(), build.packageName(), files, (System.nanoTime() - started) / 1_000_000));
        } catch (CodeGenerator.GenerationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        if (testSources) {
            project.addTestCompileSourceRoot(directory.getAbsolutePath());
        } else {
            project.addCompileSourceRoot(directory.getAbsolutePath());
        }
    }

    private SchemaBuild configuration() throws MojoFailureException {
        if (inputSchema == null || !SQL_IDENTIFIER.matcher(inputSchema).matches()) {
            throw new MojoFailureException("<inputSchema> '" + inputSchema + "' is not a plain PostgreSQL schema name:"
                    + " use lower-case letters, digits and underscores (default: public)");
        }
        if (packageName == null || !JAVA_PACKAGE.matcher(packageName).matches()) {
            throw new MojoFailureException("<packageName> '" + packageName + "' is not a Java package name:"
                    + " set it to something like com.example.db");
        }
        Roles roles;
        try {
            roles = new Roles(ownerRole, appRole);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("<ownerRole>/<appRole>: " + e.getMessage(), e);
        }
        List<String> projectLocations = new ArrayList<>();
        if (!inputSchema.equals(SchemaNames.SCHEMA)) {
            for (String location : locations == null ? List.<String>of() : locations) {
                projectLocations.add(resolve(location));
            }
            if (projectLocations.isEmpty()) {
                throw new MojoFailureException("<locations> is empty: name the Flyway locations of this project's"
                        + " migrations (default filesystem:src/main/resources/db/migration)");
            }
        }
        return new SchemaBuild(inputSchema, packageName, directory.toPath(), projectLocations,
                placeholders == null ? Map.of() : placeholders, roles,
                Path.of(project.getBuild().getDirectory(), "sentinel-codegen"));
    }

    private String resolve(String location) {
        String prefix = "filesystem:";
        if (!location.startsWith(prefix)) {
            return location;
        }
        Path path = Path.of(location.substring(prefix.length()));
        return prefix + (path.isAbsolute() ? path : project.getBasedir().toPath().resolve(path)).normalize();
    }
}
