package dev.sentinel.codegen.internal;

import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.SchemaNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One validated code generation request: everything that decides what is generated, plus where
 * the plugin keeps its own files. Immutable.
 *
 * @param inputSchema the schema to generate; {@value SchemaNames#SCHEMA} generates Sentinel's own
 *     schema from Sentinel's migrations alone
 * @param packageName the target package
 * @param directory the target directory (a source root)
 * @param locations the project's Flyway locations (or one Prisma migrations folder,
 *     {@code prisma:filesystem:...}), empty for Sentinel's own schema
 * @param modules the migrations of modules on the kernel that the project builds on, applied
 *     before the project's, in order; possibly empty
 * @param placeholders Flyway placeholders for every run (kernel, modules, project), sorted by key
 * @param roles role names for the bootstrap and the placeholders
 * @param includes jOOQ regular expression of the objects to generate
 * @param excludes jOOQ regular expression of the objects to leave out, empty for none
 * @param enums whether single-column CHECK constraints of the form {@code col in ('a', 'b')}
 *     become Java enums
 * @param server which PostgreSQL to run the migrations on
 * @param lint what the schema linter's findings do to the build
 * @param force whether to generate even when the inputs are unchanged
 * @param workDirectory where the plugin keeps its own files (input hash, manifest, server log)
 * @param schemaReference where to write the Markdown schema reference of {@link #inputSchema}, or
 *     null for none
 * @param columns per-column Java names and exclusions of the input schema, keyed by
 *     {@code table.column}
 * @param extensionObjects whether objects that belong to an extension (pgcrypto's routines) are
 *     generated too
 * @param lintBaseline the file of accepted lint findings, or null for none
 * @param machineCache the per-machine directory where Sentinel's migrated schema is kept between
 *     builds, or null to migrate it on every build
 * @param writeLintBaseline whether to write the current findings into {@code lintBaseline} instead
 *     of failing on them
 */
public record SchemaBuild(
        String inputSchema,
        String packageName,
        Path directory,
        List<String> locations,
        List<Migrations.Layer> modules,
        Map<String, String> placeholders,
        Roles roles,
        String includes,
        String excludes,
        boolean enums,
        Server server,
        LintMode lint,
        boolean force,
        Path workDirectory,
        Path schemaReference,
        Map<String, Column> columns,
        boolean extensionObjects,
        Path lintBaseline,
        Path machineCache,
        boolean writeLintBaseline) {

    /** Copies the collections and checks that nothing is missing. */
    public SchemaBuild {
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(directory, "directory");
        locations = List.copyOf(locations);
        modules = List.copyOf(modules);
        placeholders = java.util.Collections.unmodifiableMap(new TreeMap<>(placeholders));
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(includes, "includes");
        Objects.requireNonNull(excludes, "excludes");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(lint, "lint");
        Objects.requireNonNull(workDirectory, "workDirectory");
        columns = java.util.Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    /**
     * What happens to one column of the input schema.
     *
     * @param javaName the name the Java names are made from instead of the column's, or null
     * @param exclude whether the column is left out of the generated classes
     */
    public record Column(String javaName, boolean exclude) {
    }

    /**
     * Whether this build generates Sentinel's own schema (sentinel-core's build) rather than a
     * project's schema on top of Sentinel's.
     *
     * @return true for {@value SchemaNames#SCHEMA}
     */
    public boolean sentinelSchema() {
        return inputSchema.equals(SchemaNames.SCHEMA);
    }

    /**
     * Which PostgreSQL to migrate and read. The password is never part of {@link #toString()}.
     *
     * @param mode the database mode
     * @param jdbcUrl for {@link DatabaseMode#JDBC}: the URL of a maintenance database (such as
     *     {@code postgres}) on the server; null otherwise
     * @param jdbcUser for {@link DatabaseMode#JDBC}: a superuser; null otherwise
     * @param jdbcPassword for {@link DatabaseMode#JDBC}: its password, or null
     * @param testcontainersImage for {@link DatabaseMode#TESTCONTAINERS}: the Docker image
     */
    public record Server(DatabaseMode mode, String jdbcUrl, String jdbcUser, String jdbcPassword,
            String testcontainersImage) {

        /** Checks the mode. */
        public Server {
            Objects.requireNonNull(mode, "mode");
        }

        /**
         * The embedded server, the default.
         *
         * @return an embedded server request
         */
        public static Server embedded() {
            return new Server(DatabaseMode.EMBEDDED, null, null, null, null);
        }

        @Override
        public String toString() {
            return "Server[mode=" + mode + ", jdbcUrl=" + JdbcTarget.redact(jdbcUrl) + ", jdbcUser=" + jdbcUser
                    + ", jdbcPassword=" + (jdbcPassword == null ? "none" : "***")
                    + ", testcontainersImage=" + testcontainersImage + "]";
        }
    }
}
