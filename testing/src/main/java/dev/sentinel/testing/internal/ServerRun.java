package dev.sentinel.testing.internal;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Roles;
import dev.sentinel.schema.tools.lint.Finding;
import dev.sentinel.schema.tools.lint.LintOptions;
import dev.sentinel.schema.tools.lint.SchemaLinter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One server for the whole test run, with its migrated template databases. A test class gets a
 * database cloned from the template of its {@link MigrationSpec} ({@code CREATE DATABASE ...
 * TEMPLATE}), which takes a fraction of the time that migrating would. Held in JUnit's root store,
 * so it is closed when the run ends: databases it created are dropped and a server it started is
 * stopped. Thread-safe.
 */
public final class ServerRun implements AutoCloseable {

    /**
     * The password this run gives the roles, so that servers which require passwords work. Point
     * the test extension only at disposable servers.
     */
    public static final String TEST_PASSWORD = "sentinel-test";

    // Names of this run's databases start with it, so parallel runs on one server never collide.
    private static final String RUN_ID = newRunId();

    private final PostgresServer server;
    private final Map<MigrationSpec, String> templates = new HashMap<>();
    private final Map<String, List<Finding>> lintedTemplates = new HashMap<>();
    private final Set<Roles> bootstrapped = new HashSet<>();
    private final List<String> databases = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private Boolean citus;

    /**
     * Wraps a server.
     *
     * @param server the server, closed with this run
     */
    public ServerRun(PostgresServer server) {
        this.server = server;
    }

    /**
     * The server.
     *
     * @return the server
     */
    public PostgresServer server() {
        return server;
    }

    /**
     * Creates a database for one test class, cloned from the spec's template (migrated first if this
     * is the spec's first use), after the template passed the schema linter.
     *
     * @param spec the migrations the database must hold
     * @param lint whether the template must lint clean; it is linted once per run
     * @return the new database's name
     * @throws IllegalStateException with the linter's report if the template has findings
     */
    public synchronized String createDatabase(MigrationSpec spec, boolean lint) {
        if (citus()) {
            return createCitusDatabase(spec);
        }
        String template = template(spec);
        if (lint) {
            List<Finding> findings = lintedTemplates.computeIfAbsent(template, name -> lint(spec, name));
            if (!findings.isEmpty()) {
                throw new IllegalStateException("The migrations of this test class break the schema linter's rules"
                        + " (schemas " + String.join(", ", spec.schemas()) + ").\n"
                        + SchemaLinter.report(findings) + "\n\nFix the migrations, or, for a test that breaks a rule"
                        + " on purpose, build the extension with SentinelDatabase.builder().lint(false).");
            }
        }
        String name = "sentinel_" + RUN_ID + "_" + counter.incrementAndGet();
        // FILE_COPY (PostgreSQL 15+) copies the files; the default WAL_LOG writes the whole template
        // through the WAL, which is slower for the small databases that tests use.
        admin("CREATE DATABASE " + name + " TEMPLATE " + template + " OWNER " + spec.roles().owner()
                + " STRATEGY FILE_COPY");
        databases.add(name);
        return name;
    }

    /**
     * Drops a database created by {@link #createDatabase}, closing any connection still open to it.
     *
     * @param name the database
     */
    public synchronized void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        if (citus()) {
            CitusCluster.dropOnWorkers(server, name);
        }
        databases.remove(name);
    }

    /**
     * The name of the template database for a spec, if it has been created.
     *
     * @param spec the spec
     * @return the template's name, or {@code null}
     */
    public synchronized String templateName(MigrationSpec spec) {
        return templates.get(spec);
    }

    /**
     * Whether the server is a Citus coordinator, asked once.
     *
     * @return true on Citus
     */
    public synchronized boolean citus() {
        if (citus == null) {
            citus = CitusCluster.isCoordinator(server);
        }
        return citus;
    }

    /**
     * On Citus every test class migrates its own database: a distributed database cannot be a
     * template. The schema linter runs in the plain PostgreSQL builds (its rules for Citus check
     * the migrations without a cluster), not here, where the coordinator also holds the reference
     * tables' shards.
     */
    private String createCitusDatabase(MigrationSpec spec) {
        bootstrap(spec.roles());
        String name = "sentinel_" + RUN_ID + "_" + counter.incrementAndGet();
        try {
            CitusCluster.createDatabase(server, name, spec.roles());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the Citus database " + name + " on " + server.describe()
                    + ": " + e.getMessage(), e);
        } finally {
            databases.add(name);
        }
        spec.migrate(server.dataSource(name, spec.roles().owner(), TEST_PASSWORD));
        return name;
    }

    private String template(MigrationSpec spec) {
        String existing = templates.get(spec);
        if (existing != null) {
            return existing;
        }
        bootstrap(spec.roles());
        String name = "sentinel_" + RUN_ID + "_template_" + (templates.size() + 1);
        try (Connection admin = server.adminDataSource().getConnection()) {
            DatabaseBootstrap.createDatabase(admin, name, spec.roles());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the template database on " + server.describe() + ": " + e.getMessage(), e);
        }
        try {
            spec.migrate(server.dataSource(name, spec.roles().owner(), TEST_PASSWORD));
        } catch (RuntimeException e) {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            throw e;
        }
        templates.put(spec, name);
        // A template must have no connections while it is cloned; Flyway has closed its own.
        admin("ALTER DATABASE " + name + " IS_TEMPLATE true");
        return name;
    }

    private List<Finding> lint(MigrationSpec spec, String template) {
        LintOptions options = LintOptions.builder().roles(spec.roles())
                .schemas(spec.schemas().toArray(String[]::new)).build();
        try (Connection admin = server.dataSource(template, null, null).getConnection()) {
            return SchemaLinter.lint(admin, options);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lint the template database " + template + " on "
                    + server.describe() + " (the administrative user must be a superuser): " + e.getMessage(), e);
        }
    }

    private void bootstrap(Roles roles) {
        if (!bootstrapped.add(roles)) {
            return;
        }
        try (Connection admin = server.adminDataSource().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(admin, roles);
            DatabaseBootstrap.setPassword(admin, roles.owner(), TEST_PASSWORD);
            DatabaseBootstrap.setPassword(admin, roles.app(), TEST_PASSWORD);
            DatabaseBootstrap.setPassword(admin, roles.system(), TEST_PASSWORD);
        } catch (SQLException e) {
            bootstrapped.remove(roles);
            throw new IllegalStateException("Could not create Sentinel's roles on " + server.describe()
                    + " (the administrative user needs SUPERUSER): " + e.getMessage(), e);
        }
    }

    private void admin(String sql) {
        DataSource admin = server.adminDataSource();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server.describe() + ": " + e.getMessage(), e);
        }
    }

    private static String newRunId() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public synchronized void close() {
        try {
            for (String database : List.copyOf(databases)) {
                dropDatabase(database);
            }
            for (String template : templates.values()) {
                admin("ALTER DATABASE " + template + " IS_TEMPLATE false");
                admin("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)");
            }
        } finally {
            server.close();
        }
    }
}
