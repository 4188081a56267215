package dev.sentinel.schema.tools.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a migrated database against the rules that keep tenants apart ({@link Rule}): it reads
 * the live catalog ({@code pg_class}, {@code pg_index}, {@code pg_constraint}, {@code pg_policy},
 * {@code pg_trigger}, {@code pg_roles}, privileges) and tests the row-level security policies by
 * behaviour, as the application role.
 *
 * <pre>{@code
 * try (Connection admin = adminDataSource.getConnection()) {
 *     List<Finding> findings = SchemaLinter.lint(admin, LintOptions.defaults());
 *     if (!findings.isEmpty()) {
 *         throw new IllegalStateException(SchemaLinter.report(findings));
 *     }
 * }
 * }</pre>
 *
 * <p><b>It never writes.</b> Everything runs in one {@code READ ONLY} transaction that is rolled
 * back, as the application role ({@code SET LOCAL ROLE}) with transaction-local tenant settings.
 * The connection must therefore be able to become the application role: a superuser, a member of
 * the application role, or the application role itself (the owner role cannot: it is not a member).
 * It must be in auto-commit mode; it is returned in auto-commit mode with its settings unchanged.
 *
 * <p><b>The policy test.</b> With no tenant set, and with a random other tenant set, the
 * application role must reach no row of a tenant table: existing rows are counted, and because
 * a freshly migrated database has none, every policy's expression is also evaluated by
 * PostgreSQL against a probe row of another tenant built from the table's row type, without
 * inserting it. A connection on which {@code sentinel.tenant_id} was never set also tests the
 * unset state (a fresh connection's), where {@code current_setting(..., true)} is null.
 *
 * <p>Thread-safe: the class has no state; use each connection from one thread at a time.
 */
public final class SchemaLinter {

    private SchemaLinter() {
    }

    /**
     * Lints the tables of the configured schemas.
     *
     * @param connection a connection to the migrated database that can act as the application
     *     role, in auto-commit mode; left open
     * @param options the schemas and roles
     * @return the findings, ordered by table, rule and object; empty if every rule holds
     * @throws SQLException if the catalog cannot be read, or the connection cannot act as the
     *     application role (the message says which connections can)
     * @throws IllegalArgumentException if the connection is inside a transaction
     * @throws IllegalStateException if the application role does not exist on the server
     */
    public static List<Finding> lint(Connection connection, LintOptions options) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(options, "options");
        if (!connection.getAutoCommit()) {
            throw new IllegalArgumentException("SchemaLinter: the connection is not in auto-commit mode (a transaction"
                    + " may be open); pass a connection in auto-commit mode, the linter runs its own read-only"
                    + " transaction and rolls it back");
        }
        String app = options.roles().app();
        connection.setAutoCommit(false);
        SQLException failure = null;
        try {
            boolean[] attributes = attributes(connection, app);
            Session session = Session.begin(connection, app, options.roles().system());
            LintRun run = new LintRun(session, options, attributes[0], attributes[1]);
            RoleRules.check(run);
            KeyRules.check(run);
            RowSecurityRules.check(run);
            AuditRules.check(run);
            SecretRules.check(run);
            PersonalRules.check(run);
            CitusRules.check(run);
            return run.findings();
        } catch (SQLException e) {
            failure = e;
            throw e;
        } finally {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    private static boolean[] attributes(Connection connection, String app) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select rolsuper, rolbypassrls from pg_catalog.pg_roles where rolname = ?")) {
            statement.setString(1, app);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("SchemaLinter: the application role " + app + " does not exist on"
                            + " this server. Run Sentinel's role bootstrap (DatabaseBootstrap), or name the right role"
                            + " in LintOptions.builder().roles(...)");
                }
                return new boolean[] {row.getBoolean(1), row.getBoolean(2)};
            }
        } finally {
            connection.rollback();
        }
    }

    /**
     * Lints with {@link LintOptions#defaults()}: schemas {@code sentinel} and {@code public}, the
     * default role names.
     *
     * @param connection as for {@link #lint(Connection, LintOptions)}
     * @return the findings
     * @throws SQLException as for {@link #lint(Connection, LintOptions)}
     */
    public static List<Finding> lint(Connection connection) throws SQLException {
        return lint(connection, LintOptions.defaults());
    }

    /**
     * The findings as text for a build log or an exception message: a count, a summary by rule and
     * by table ({@link #summary(List)}), then each finding with its rule id, table and object,
     * message and fix, separated by blank lines.
     *
     * @param findings the findings
     * @return the report; {@code "Schema lint: no findings."} for none
     */
    public static String report(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "Schema lint: no findings.";
        }
        StringBuilder out = new StringBuilder(summary(findings)).append("\n\nEach finding (docs/linter.md explains each rule):");
        for (Finding finding : findings) {
            out.append("\n\n  [").append(finding.rule().id()).append("] ")
                    .append(finding.table() == null ? finding.object() : finding.table() + " (" + finding.object() + ")")
                    .append("\n    ").append(finding.message())
                    .append("\n    Fix: ").append(finding.fix());
        }
        return out.toString();
    }

    /**
     * A summary of findings: their number and tables, then one line per rule (how many, and the
     * first tables), then one line per table (its rules), the largest first; long lists are cut
     * with a count of the rest.
     *
     * @param findings the findings
     * @return the summary, without a trailing line break
     */
    public static String summary(List<Finding> findings) {
        Map<String, List<String>> byRule = new TreeMap<>();
        Map<String, Set<String>> byTable = new TreeMap<>();
        for (Finding finding : findings) {
            String where = finding.table() == null ? finding.object() : finding.table();
            byRule.computeIfAbsent(finding.rule().id(), r -> new ArrayList<>()).add(where);
            byTable.computeIfAbsent(where, t -> new TreeSet<>()).add(finding.rule().id());
        }
        StringBuilder out = new StringBuilder("Schema lint: ").append(findings.size())
                .append(findings.size() == 1 ? " finding" : " findings").append(" in ").append(byTable.size())
                .append(byTable.size() == 1 ? " table or role" : " tables or roles").append(".\n  By rule:");
        int width = byRule.keySet().stream().mapToInt(String::length).max().orElse(0);
        byRule.entrySet().stream()
                .sorted((a, b) -> b.getValue().size() != a.getValue().size() ? b.getValue().size() - a.getValue().size()
                        : a.getKey().compareTo(b.getKey()))
                .forEach(rule -> out.append("\n    ").append(String.format(Locale.ROOT, "%-" + width + "s %4d  ",
                        rule.getKey(), rule.getValue().size())).append(cut(new ArrayList<>(new LinkedHashSet<>(rule.getValue())), 4)));
        out.append("\n  By table:");
        List<Map.Entry<String, Set<String>>> tables = new ArrayList<>(byTable.entrySet());
        int shown = Math.min(tables.size(), SUMMARY_TABLES);
        for (Map.Entry<String, Set<String>> table : tables.subList(0, shown)) {
            out.append("\n    ").append(table.getKey()).append(": ").append(String.join(", ", table.getValue()));
        }
        if (tables.size() > shown) {
            out.append("\n    ... and ").append(tables.size() - shown).append(" more tables");
        }
        return out.toString();
    }

    private static final int SUMMARY_TABLES = 20;

    private static String cut(List<String> names, int limit) {
        if (names.size() <= limit) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, limit)) + " and " + (names.size() - limit) + " more";
    }
}
