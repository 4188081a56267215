package dev.sentinel.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.schema.Migrations;
import dev.sentinel.schema.Roles;
import dev.sentinel.testing.internal.EmbeddedServer;
import dev.sentinel.testing.internal.ExternalServer;
import dev.sentinel.testing.internal.MigrationSpec;
import dev.sentinel.testing.internal.PostgresServer;
import dev.sentinel.testing.internal.ServerRun;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives a test class its own migrated PostgreSQL database.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SentinelDatabase db = SentinelDatabase.builder()
 *         .serviceMigrations("classpath:db/migration")   // optional: the service's own
 *         .build();
 *
 * @Test
 * void works() throws SQLException {
 *     try (Connection c = db.appDataSource().getConnection()) { ... }
 * }
 * }</pre>
 *
 * <p>One PostgreSQL serves the whole test run: an embedded one by default, or the existing server
 * whose administrative JDBC URL is in the system property {@value #SERVER_PROPERTY} or the
 * environment variable {@value #SERVER_ENVIRONMENT}. Sentinel's roles are bootstrapped once, the
 * migrations (Sentinel's, then the service's) are applied once to a template database, which the
 * schema linter checks once ({@link Builder#lint(boolean)}), and each test class gets a clone of
 * it, dropped after the class. After each test the extension fails the
 * test if a connection from {@link #appDataSource()}, {@link #systemDataSource()} or
 * {@link #ownerDataSource()} is still borrowed, and replaces the pools so the next test starts clean.
 * A test builds its {@code Sentinel} with both runtime pools:
 * {@code .dataSource(db.appDataSource()).systemDataSource(db.systemDataSource())}.
 *
 * <p>Register it on a {@code static} field. Nested test classes share the outer class's database.
 * Other test engines (jqwik) call {@link #start()} and {@link #close()} themselves. The accessors
 * are thread-safe once started.
 */
public final class SentinelDatabase
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {

    /** System property naming the server: {@code embedded} (default) or an administrative JDBC URL. */
    public static final String SERVER_PROPERTY = "sentinel.test.server";

    /** Environment variable naming the server, read when the system property is not set. */
    public static final String SERVER_ENVIRONMENT = "SENTINEL_TEST_SERVER";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SentinelDatabase.class);
    // One ServerRun per server for the JVM; JUnit runs close theirs when the run ends, the rest at exit.
    private static final Map<String, ServerRun> SERVERS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SentinelDatabase::closeAllServers, "sentinel-test-cleanup"));
    }
    private static final int POOL_SIZE = 4;

    private final String serverOverride;
    private final MigrationSpec spec;
    private final boolean lint;

    private volatile State state;
    // Resources over this database (a Spring context, job workers), closed before it is dropped.
    private final Deque<AutoCloseable> closeFirst = new ConcurrentLinkedDeque<>();

    private SentinelDatabase(Builder builder) {
        this.serverOverride = builder.server;
        this.spec = new MigrationSpec(builder.roles, builder.modules, builder.serviceLocations, builder.serviceSchema, builder.placeholders);
        this.lint = builder.lint;
    }

    /**
     * An extension with Sentinel's migrations only, the default roles and the default server.
     *
     * @return the extension
     */
    public static SentinelDatabase create() {
        return builder().build();
    }

    /**
     * Starts a configuration.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pooled connections as the application role ({@code sentinel_app}): row-level security applies.
     *
     * @return the data source of this test class's database
     * @throws IllegalStateException if the extension has not started (not registered on a static field)
     */
    public DataSource appDataSource() {
        return state().app;
    }

    /**
     * Pooled connections as the system role ({@code sentinel_system}), the system scope's own pool:
     * pass it to {@code Sentinel.builder().systemDataSource(...)}. Row-level security applies; its
     * system_scope policies open every row only inside the system scope.
     *
     * @return the data source of this test class's database
     * @throws IllegalStateException if the extension has not started
     */
    public DataSource systemDataSource() {
        return state().system;
    }

    /**
     * Pooled connections as the owner role ({@code sentinel_owner}), which owns the objects and runs
     * migrations. Row-level security applies to it too (FORCE).
     *
     * @return the data source of this test class's database
     * @throws IllegalStateException if the extension has not started
     */
    public DataSource ownerDataSource() {
        return state().owner;
    }

    /**
     * Unpooled connections as the server's administrative user (a superuser), for tests that create
     * roles or play an attacker. Not leak-checked: close what you open.
     *
     * @return the data source of this test class's database
     * @throws IllegalStateException if the extension has not started
     */
    public DataSource adminDataSource() {
        State current = state();
        return current.run.server().dataSource(current.database, null, null);
    }

    /**
     * The name of this test class's database.
     *
     * @return the database name
     * @throws IllegalStateException if the extension has not started
     */
    public String databaseName() {
        return state().database;
    }

    /**
     * The JDBC URL of this test class's database, without credentials.
     *
     * @return the URL
     * @throws IllegalStateException if the extension has not started
     */
    public String jdbcUrl() {
        State current = state();
        return current.run.server().jdbcUrl(current.database);
    }

    /**
     * The name of the template database this class's database was cloned from.
     *
     * @return the template's name
     * @throws IllegalStateException if the extension has not started
     */
    public String templateName() {
        return state().run.templateName(spec);
    }

    /**
     * The password every role has on the test server.
     *
     * @return the password
     */
    public String rolePassword() {
        return ServerRun.TEST_PASSWORD;
    }

    /**
     * The role names.
     *
     * @return the roles
     */
    public Roles roles() {
        return spec.roles();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (state != null) {
            return; // a @Nested class, or started by hand: it keeps its database
        }
        String server = server();
        if (start(context.getRequiredTestClass())) {
            // The run that started a server closes it when it ends (a server started by hand: at JVM exit).
            context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent("close " + server, key -> (AutoCloseable) () -> closeServer(server), AutoCloseable.class);
        }
    }

    /**
     * Starts by hand, for test engines other than JUnit Jupiter (jqwik's {@code @BeforeContainer},
     * for example): creates this instance's database as {@code beforeAll} would. Pair it with
     * {@link #close()}. The server is shared with the rest of the JVM and stopped when it exits.
     *
     * @return this, started
     * @throws IllegalStateException if already started
     */
    public SentinelDatabase start() {
        if (state != null) {
            throw new IllegalStateException("SentinelDatabase is already started on " + state.database);
        }
        start(null);
        return this;
    }

    /** Creates this instance's database; returns whether the server had to be started for it. */
    private boolean start(Class<?> testClass) {
        boolean[] started = {false};
        ServerRun run = SERVERS.computeIfAbsent(server(), key -> {
            started[0] = true;
            return new ServerRun(open(key));
        });
        String database = run.createDatabase(spec, lint);
        state = new State(testClass, run, database);
        return started[0];
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (state == null) {
            throw new IllegalStateException("SentinelDatabase has not started for " + context.getRequiredTestClass().getName()
                    + ": register it with @RegisterExtension on a static field, so it runs before all tests of the class");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (state != null) {
            assertNoConnectionLeaks(context.getDisplayName());
        }
    }

    /**
     * Fails if a connection from {@link #appDataSource()}, {@link #systemDataSource()} or {@link #ownerDataSource()} is still
     * borrowed, and then replaces both pools so that the next test starts clean. The extension calls
     * it after each test; call it yourself when started by hand.
     *
     * @param testName names the test in the message
     * @throws AssertionError naming the leaked connections
     */
    public void assertNoConnectionLeaks(String testName) {
        State current = state();
        List<String> leaks = new ArrayList<>();
        for (HikariDataSource pool : List.of(current.app, current.system, current.owner)) {
            int active = pool.getHikariPoolMXBean().getActiveConnections();
            if (active > 0) {
                leaks.add(active + " connection(s) of " + pool.getUsername());
            }
        }
        if (!leaks.isEmpty()) {
            // Replace the pools so that the leak fails this test only, not every test after it.
            state = current.withFreshPools();
            current.closePools();
            throw new AssertionError("Connection leak in " + testName + ": " + String.join(", ", leaks)
                    + " still borrowed after the test. Close every Connection you take (try-with-resources).");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        State current = state;
        if (current != null && current.testClass == context.getRequiredTestClass()) {
            close();
        }
    }

    /**
     * Closes a resource that uses this database before the database goes, when the test class ends
     * (or at {@link #close()}): a Spring application context whose job workers would otherwise poll
     * a dropped database, or a {@code Sentinel} with background threads. Resources close in the
     * reverse order of registration; a failure to close one is rethrown after the database is
     * dropped, with any further failures suppressed.
     *
     * @param resource the resource
     * @throws NullPointerException if {@code resource} is null
     */
    public void closeBeforeDrop(AutoCloseable resource) {
        closeFirst.push(Objects.requireNonNull(resource, "resource"));
    }

    /**
     * Closes what {@link #closeBeforeDrop} registered, then the pools, and drops this instance's
     * database. Does nothing if not started.
     */
    @Override
    public void close() {
        State current = state;
        if (current == null) {
            return;
        }
        // Before the state goes: a closing resource may still use the database (a context's last
        // transactions, a worker's release of its jobs).
        Exception failure = null;
        for (AutoCloseable resource = closeFirst.poll(); resource != null; resource = closeFirst.poll()) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        state = null;
        try {
            current.closePools();
        } finally {
            current.run.dropDatabase(current.database);
        }
        if (failure != null) {
            throw new IllegalStateException("Closing a resource registered with closeBeforeDrop failed: " + failure.getMessage(), failure);
        }
    }

    private State state() {
        State current = state;
        if (current == null) {
            throw new IllegalStateException("SentinelDatabase has not started: register it with @RegisterExtension"
                    + " on a static field and use it from a test or a @BeforeAll method (or call start())");
        }
        return current;
    }

    private String server() {
        if (serverOverride != null) {
            return serverOverride;
        }
        String server = System.getProperty(SERVER_PROPERTY);
        if (server == null || server.isBlank()) {
            server = System.getenv(SERVER_ENVIRONMENT);
        }
        return server == null || server.isBlank() ? "embedded" : server.trim();
    }

    private static void closeServer(String server) {
        ServerRun run = SERVERS.remove(server);
        if (run != null) {
            run.close();
        }
    }

    private static void closeAllServers() {
        for (String server : List.copyOf(SERVERS.keySet())) {
            try {
                closeServer(server);
            } catch (RuntimeException e) {
                System.err.println("sentinel-test: could not clean up " + server.replaceAll("(?i)(password=)[^&]*", "$1***")
                        + " at exit: " + e.getMessage());
            }
        }
    }

    private static PostgresServer open(String server) {
        if (server.equals("embedded")) {
            return EmbeddedServer.start();
        }
        ExternalServer external = new ExternalServer(server);
        external.ping();
        return external;
    }

    /** What one started test class holds. */
    private final class State {
        final Class<?> testClass;
        final ServerRun run;
        final String database;
        final HikariDataSource app;
        final HikariDataSource system;
        final HikariDataSource owner;

        State(Class<?> testClass, ServerRun run, String database) {
            this.testClass = testClass;
            this.run = run;
            this.database = database;
            this.app = pool(spec.roles().app());
            this.system = pool(spec.roles().system());
            this.owner = pool(spec.roles().owner());
        }

        State withFreshPools() {
            return new State(testClass, run, database);
        }

        private HikariDataSource pool(String role) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(role + "@" + database);
            config.setDataSource(run.server().dataSource(database, role, ServerRun.TEST_PASSWORD));
            config.setUsername(role);
            config.setMaximumPoolSize(POOL_SIZE);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(10_000);
            return new HikariDataSource(config);
        }

        void closePools() {
            try {
                app.close();
                system.close();
            } finally {
                owner.close();
            }
        }
    }

    /** Configuration of a {@link SentinelDatabase}; not thread-safe. */
    public static final class Builder {
        private String server;
        private Roles roles = Roles.defaults();
        private final List<Migrations.Layer> modules = new ArrayList<>();
        private final List<String> serviceLocations = new ArrayList<>();
        private String serviceSchema = "public";
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private boolean lint = true;

        private Builder() {
        }

        /**
         * Whether the migrated template must pass the schema linter
         * ({@link dev.sentinel.schema.tools.lint.SchemaLinter}, schemas {@code sentinel} and the service's)
         * before any test runs. On by default: a migration that breaks a rule fails the test class at
         * once, in {@code beforeAll}, with every finding and its fix. Turn it off for a test that
         * breaks a rule on purpose. The template is linted once per run, however many classes use it.
         *
         * @param lint false to skip the linter
         * @return this builder
         */
        public Builder lint(boolean lint) {
            this.lint = lint;
            return this;
        }

        /**
         * Names the server for this extension, overriding {@value #SERVER_PROPERTY} and
         * {@value #SERVER_ENVIRONMENT}.
         *
         * @param server {@code embedded}, or the JDBC URL of an administrative account on an
         *     existing server
         * @return this builder
         */
        public Builder server(String server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /**
         * Sets the role names.
         *
         * @param roles the roles; default {@link Roles#defaults()}
         * @return this builder
         */
        public Builder roles(Roles roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        /**
         * Adds a module's migrations (such as the agency domain's, schema {@code agency}, location
         * {@code classpath:db/agency}), applied after Sentinel's and the modules added before, and
         * before the service's; linted with them.
         *
         * @param schema the module's schema, which also holds its history
         * @param locations its Flyway locations
         * @return this builder
         */
        public Builder moduleMigrations(String schema, String... locations) {
            modules.add(new Migrations.Layer(schema, List.of(locations)));
            return this;
        }

        /**
         * Adds Flyway locations of the service's own migrations, applied after Sentinel's and the modules'.
         *
         * @param locations locations such as {@code classpath:db/migration}, or one Prisma migrations
         *     folder, {@code prisma:classpath:prisma/migrations} (see {@code Migrations})
         * @return this builder
         */
        public Builder serviceMigrations(String... locations) {
            for (String location : locations) {
                serviceLocations.add(Objects.requireNonNull(location, "location"));
            }
            return this;
        }

        /**
         * Sets the schema of the service's migrations.
         *
         * @param schema the schema; default {@code public}
         * @return this builder
         */
        public Builder serviceSchema(String schema) {
            this.serviceSchema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * Adds Flyway placeholders for both migration runs.
         *
         * @param placeholders keys and values
         * @return this builder
         */
        public Builder placeholders(Map<String, String> placeholders) {
            this.placeholders.putAll(placeholders);
            return this;
        }

        /**
         * Builds the extension.
         *
         * @return the extension, to be registered on a static field
         */
        public SentinelDatabase build() {
            return new SentinelDatabase(this);
        }
    }
}
