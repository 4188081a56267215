package dev.sentinel.schema;

import dev.sentinel.schema.internal.LayerFlyway;
import dev.sentinel.schema.internal.MigrationSessions;
import dev.sentinel.schema.internal.PrismaHistory;
import dev.sentinel.schema.internal.PrismaResources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies the layered migrations: Sentinel's kernel first (schema {@value SchemaNames#SCHEMA}, its
 * own history), then each module's in the order added (such as the agency domain, schema
 * {@code agency}; each in its own schema with its own history), then, if given, the service's (its
 * own schema, default {@code public}, its own history). Separate runs with separate histories mean a
 * service's {@code V1} never collides with Sentinel's {@code V1}, and a service may have a table
 * named like one of Sentinel's.
 *
 * <p>A database migrated by a Sentinel build from before the kernel's baseline was squashed is
 * refused with {@link IncompatibleDatabaseException} before anything is applied.
 *
 * <p>The service's migrations are Flyway locations, or one Prisma migrations folder: a location
 * {@code prisma:filesystem:<path>} or {@code prisma:classpath:<path>} names the folder that holds
 * {@code migration_lock.toml} and the {@code <timestamp>_<name>/migration.sql} folders. Its
 * {@code migration_lock.toml} must name PostgreSQL, and its folders are applied in the order Prisma
 * applies them, as Flyway versioned migrations with their own history (not Prisma's
 * {@code _prisma_migrations}) and without placeholder replacement. The folder is read and checked
 * before anything is applied.
 *
 * <p>Run it as the owner role, on a direct connection (not through a transaction pooler: Flyway
 * holds a session advisory lock). The role names reach the SQL through the {@link Roles}
 * placeholders; the service's placeholders are passed to every run (kernel, modules, service).
 * Requires {@code flyway-core} and {@code flyway-database-postgresql} on the classpath. Instances are immutable and thread-safe;
 * concurrent {@link #migrate()} calls serialize on Flyway's lock.
 */
public final class Migrations {

    /** The description of the squashed kernel baseline's first migration, {@code V1__foundation.sql}. */
    private static final String BASELINE_V1 = "foundation";

    private final DataSource ownerDataSource;
    private final Roles roles;
    private final List<Layer> modules;
    private final List<String> serviceLocations;
    private final String serviceSchema;
    private final Map<String, String> placeholders;
    private final ClassLoader classLoader;
    private final boolean layersCurrent;

    private Migrations(Builder builder) {
        this.ownerDataSource = builder.ownerDataSource;
        this.roles = builder.roles;
        this.modules = List.copyOf(builder.modules);
        this.serviceLocations = List.copyOf(builder.serviceLocations);
        this.serviceSchema = builder.serviceSchema;
        this.classLoader = builder.classLoader;
        this.layersCurrent = builder.layersCurrent;
        Map<String, String> all = new LinkedHashMap<>(builder.placeholders);
        all.putAll(roles.placeholders());
        this.placeholders = Map.copyOf(all);
    }

    /**
     * Starts a configuration.
     *
     * @param ownerDataSource connections as the owner role, direct to PostgreSQL
     * @return a builder with the default roles and no service migrations
     */
    public static Builder builder(DataSource ownerDataSource) {
        return new Builder(ownerDataSource);
    }

    /**
     * Applies every pending migration: Sentinel's kernel first, then each module's, then the service's
     * (only the service's when {@link Builder#layersCurrent} says the others are current).
     *
     * @return how many migrations each run applied
     * @throws IncompatibleDatabaseException if the database was migrated before the kernel's baseline
     *     was squashed (nothing is applied)
     * @throws InvalidMigrationSourceException if the service's Prisma history cannot be applied as it
     *     is (checked before anything is applied)
     * @throws org.flywaydb.core.api.FlywayException if a migration fails or the history does not
     *     match the migrations on the classpath; the failed run's transaction is rolled back
     */
    public Result migrate() {
        // A Prisma history is read and checked first, so that a wrong one writes nothing.
        PrismaHistory prisma = prismaLocation() == null ? null : PrismaHistory.read(prismaLocation(), classLoader);
        int sentinelCount = 0;
        int moduleCount = 0;
        if (!layersCurrent) {
            refuseUnsquashedHistory();
            sentinelCount = flyway(SchemaNames.SCHEMA, List.of(SchemaNames.MIGRATION_LOCATION)).migrate()
                    .migrationsExecuted;
            for (Layer module : modules) {
                moduleCount += flyway(module.schema(), module.locations()).migrate().migrationsExecuted;
            }
        }
        int service = 0;
        if (prisma != null) {
            service = prisma(prisma).migrate().migrationsExecuted;
        } else if (!serviceLocations.isEmpty()) {
            service = flyway(serviceSchema, serviceLocations).migrate().migrationsExecuted;
        }
        return new Result(sentinelCount, moduleCount, service);
    }

    /**
     * The kernel's baseline was squashed before the first release (docs/decisions.md): its V1 is now
     * {@value #BASELINE_V1}. A history whose V1 is anything else was written by the old chain, which
     * Flyway would report as checksum mismatches; say what to do instead.
     */
    private void refuseUnsquashedHistory() {
        String history = SchemaNames.SCHEMA + "." + SchemaNames.HISTORY_TABLE;
        try (Connection connection = ownerDataSource.getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("select to_regclass(?) is not null")) {
                exists.setString(1, history);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            try (PreparedStatement first = connection.prepareStatement("select description from " + history
                    + " where version = '1'")) {
                try (ResultSet rs = first.executeQuery()) {
                    if (rs.next() && !BASELINE_V1.equals(rs.getString(1))) {
                        throw new IncompatibleDatabaseException("This database was migrated by a Sentinel build from"
                                + " before the kernel's migrations were squashed into one baseline (its " + history
                                + " starts with V1 '" + rs.getString(1) + "', today's V1 is '" + BASELINE_V1 + "')."
                                + " That chain was never released and cannot be upgraded: recreate the database (drop"
                                + " it and create it empty, or point Sentinel at a new one) and start again. Nothing"
                                + " was applied.");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read " + history + " before migrating: " + e.getMessage(), e);
        }
    }

    private String prismaLocation() {
        return serviceLocations.size() == 1 && PrismaHistory.isPrismaLocation(serviceLocations.getFirst())
                ? serviceLocations.getFirst() : null;
    }

    private Flyway prisma(PrismaHistory history) {
        PrismaResources resources = new PrismaResources(history);
        return Flyway.configure(classLoader)
                .dataSource(new MigrationSessions(ownerDataSource))
                .schemas(serviceSchema)
                .createSchemas(true)
                // The kernel's SELECTs (sentinel.distribute) would print result tables at INFO.
                .outputQueryResults(false)
                .table(SchemaNames.HISTORY_TABLE)
                // Flyway's resolver reads the folders through these instead of scanning locations.
                .resourceProvider(resources)
                .javaMigrationClassProvider(resources)
                // Prisma's SQL knows no placeholders; a ${ in it is text.
                .placeholderReplacement(false)
                .cleanDisabled(true)
                .load();
    }

    private Flyway flyway(String schema, List<String> locations) {
        return LayerFlyway.of(classLoader, new MigrationSessions(ownerDataSource), schema, locations, placeholders);
    }

    /**
     * What one {@link #migrate()} call applied.
     *
     * @param sentinelApplied migrations applied to Sentinel's schema
     * @param modulesApplied migrations applied to the modules' schemas, all modules together
     * @param serviceApplied migrations applied to the service's schema
     */
    public record Result(int sentinelApplied, int modulesApplied, int serviceApplied) {
    }

    /**
     * One module's migrations: its schema (which also holds its history) and its Flyway locations.
     *
     * @param schema the module's PostgreSQL schema, such as {@code agency}
     * @param locations Flyway locations, such as {@code classpath:db/agency}
     */
    public record Layer(String schema, List<String> locations) {

        /**
         * Checks and copies the parts.
         *
         * @throws IllegalArgumentException if the schema is Sentinel's or no location is given
         */
        public Layer {
            Objects.requireNonNull(schema, "schema");
            locations = List.copyOf(locations);
            if (schema.equals(SchemaNames.SCHEMA)) {
                throw new IllegalArgumentException("module schema: '" + schema + "' is Sentinel's kernel schema;"
                        + " give the module a schema of its own");
            }
            if (locations.isEmpty()) {
                throw new IllegalArgumentException("module '" + schema + "': no migration location given");
            }
        }
    }

    /** Configuration of {@link Migrations}; not thread-safe, use it from one thread. */
    public static final class Builder {
        private final DataSource ownerDataSource;
        private Roles roles = Roles.defaults();
        private final List<Layer> modules = new ArrayList<>();
        private final List<String> serviceLocations = new ArrayList<>();
        private String serviceSchema = "public";
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private ClassLoader classLoader = Migrations.class.getClassLoader();
        private boolean layersCurrent;

        private Builder(DataSource ownerDataSource) {
            this.ownerDataSource = Objects.requireNonNull(ownerDataSource, "ownerDataSource");
        }

        /**
         * Sets the role names written into the migrations.
         *
         * @param roles the roles; default {@link Roles#defaults()}
         * @return this builder
         */
        public Builder roles(Roles roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        /**
         * Adds a module's migrations, applied after the kernel's and the modules added before it, and
         * before the service's.
         *
         * @param module the module's schema and locations
         * @return this builder
         */
        public Builder module(Layer module) {
            this.modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /**
         * Adds Flyway locations of the service's own migrations, applied after Sentinel's and the modules'.
         *
         * @param locations Flyway locations such as {@code classpath:db/migration} or
         *     {@code filesystem:src/main/resources/db/migration}, or one Prisma migrations folder,
         *     {@code prisma:filesystem:prisma/migrations} or {@code prisma:classpath:prisma/migrations}
         * @return this builder
         */
        public Builder serviceLocations(String... locations) {
            for (String location : locations) {
                this.serviceLocations.add(Objects.requireNonNull(location, "location"));
            }
            return this;
        }

        /**
         * Sets the schema of the service's migrations and history.
         *
         * @param schema a schema name; default {@code public}. Must not be Sentinel's schema.
         * @return this builder
         * @throws IllegalArgumentException if {@code schema} is Sentinel's schema
         */
        public Builder serviceSchema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (schema.equals(SchemaNames.SCHEMA)) {
                throw new IllegalArgumentException("serviceSchema: '" + schema + "' is Sentinel's own schema;"
                        + " put the service's tables in a schema of its own (default public)");
            }
            this.serviceSchema = schema;
            return this;
        }

        /**
         * Adds Flyway placeholders for every run (kernel, modules, service). The role placeholders of {@link Roles} always win.
         *
         * @param placeholders placeholder keys and values
         * @return this builder
         */
        public Builder placeholders(Map<String, String> placeholders) {
            this.placeholders.putAll(placeholders);
            return this;
        }

        /**
         * Says that Sentinel's and the modules' migrations are known to be applied and current, so
         * that {@link #migrate()} runs only the service's. For tools that copy a database these exact
         * migrations were applied to (the code generator's machine cache, keyed by their hash): reading
         * the histories again would only cost time. Never for a database whose history is not known.
         *
         * @param current true to skip Sentinel's and the modules' runs; default false
         * @return this builder
         */
        public Builder layersCurrent(boolean current) {
            this.layersCurrent = current;
            return this;
        }

        /**
         * Sets the class loader that Flyway scans for {@code classpath:} locations.
         *
         * @param classLoader the loader; default the one that loaded this class
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Builds the immutable configuration.
         *
         * @return the migrations
         * @throws InvalidMigrationSourceException if a Prisma location is combined with other locations
         */
        public Migrations build() {
            List<String> schemas = new ArrayList<>();
            for (Layer module : modules) {
                if (schemas.contains(module.schema()) || module.schema().equals(serviceSchema) && !serviceLocations.isEmpty()) {
                    throw new IllegalArgumentException("module schema '" + module.schema() + "' is used twice (by"
                            + " another module or the service): every layer needs a schema, and a history, of its own");
                }
                schemas.add(module.schema());
            }
            if (serviceLocations.size() > 1 && serviceLocations.stream().anyMatch(PrismaHistory::isPrismaLocation)) {
                throw new InvalidMigrationSourceException("serviceLocations " + serviceLocations + " combine a Prisma"
                        + " migrations folder with other locations; a Prisma history is the whole of the service's"
                        + " migrations (its folders are ordered and versioned on their own): name it alone, and add"
                        + " further migrations as Prisma folders");
            }
            return new Migrations(this);
        }
    }
}
