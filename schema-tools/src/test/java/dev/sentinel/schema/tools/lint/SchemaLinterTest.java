package dev.sentinel.schema.tools.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.schema.Roles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The linter as a whole: Sentinel's own schema, behaviour on real rows, and what it refuses. */
class SchemaLinterTest {

    private final LintServer server = LintServer.get();

    @Test
    void sentinelsOwnSchemaLintsClean() {
        String database = server.database(null);
        try {
            List<Finding> findings = server.lint(database);
            assertThat(findings).as(SchemaLinter.report(findings)).isEmpty();
        } finally {
            server.drop(database);
        }
    }

    @Test
    void aServiceSchemaThatFollowsEveryRuleLintsClean() {
        String database = server.database("clean");
        try {
            insertAsSystem(database, 2);
            List<Finding> findings = server.lint(database);
            assertThat(findings).as(SchemaLinter.report(findings)).isEmpty();
        } finally {
            server.drop(database);
        }
    }

    @Test
    void theSeedSystemsIsNullFallbackIsCaughtOnRealRows() {
        String database = server.database("policy-leaks-is-null");
        try {
            insertAsSystem(database, 3);
            List<Finding> findings = server.lint(database);
            assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
                assertThat(finding.rule()).isEqualTo(Rule.POLICY_LEAKS);
                assertThat(finding.object()).isEqualTo("policy tenant_scope");
                assertThat(finding.message())
                        .contains("with no tenant set (sentinel.tenant_id = ''), 3 of the table's rows are visible")
                        .contains("IS NULL fallback");
            });
            // The rows are still there: the linter only read them.
            assertThat(countAsSystem(database, "public.notes")).isEqualTo(3);
        } finally {
            server.drop(database);
        }
    }

    @Test
    void aFreshConnectionAlsoTestsTheUnsetSetting() throws SQLException {
        String database = server.database("policy-leaks-is-null");
        try (Connection fresh = server.admin(database).getConnection()) {
            List<Finding> findings = SchemaLinter.lint(fresh, LintOptions.defaults());
            assertThat(findings).singleElement().extracting(Finding::message).asString()
                    .contains("with no tenant set (a fresh session, where sentinel.tenant_id was never set)");
            // On the same connection the setting now exists (empty): the unset state cannot be tested again.
            List<Finding> again = SchemaLinter.lint(fresh, LintOptions.defaults());
            assertThat(again).singleElement().extracting(Finding::message).asString()
                    .doesNotContain("fresh session")
                    .contains("with no tenant set (sentinel.tenant_id = '')");
        } finally {
            server.drop(database);
        }
    }

    @Test
    void aPolicyThatWritesIsRefusedByTheReadOnlyTransaction() {
        String database = server.database("policy-writes");
        try {
            List<Finding> findings = server.lint(database);
            assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
                assertThat(finding.rule()).isEqualTo(Rule.POLICY_ERROR);
                assertThat(finding.table()).isEqualTo("public.notes");
                assertThat(finding.message()).contains("read-only transaction");
            });
            assertThat(countAsSystem(database, "public.reads")).isZero();
        } finally {
            server.drop(database);
        }
    }

    @Test
    void theApplicationRoleItselfCanLint() throws SQLException {
        String database = server.database("policy-leaks-any-tenant");
        try (Connection app = server.app(database).getConnection()) {
            List<Finding> findings = SchemaLinter.lint(app, LintOptions.defaults());
            assertThat(findings).extracting(Finding::rule).containsExactly(Rule.POLICY_LEAKS);
        } finally {
            server.drop(database);
        }
    }

    @Test
    void theConnectionComesBackAsItWas() throws SQLException {
        String database = server.database("clean");
        try (Connection connection = server.admin(database).getConnection()) {
            String before = roleAndPath(connection);
            SchemaLinter.lint(connection);
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(roleAndPath(connection)).isEqualTo(before);
        } finally {
            server.drop(database);
        }
    }

    @Test
    void theOwnerRoleCannotLintAndIsToldWhichConnectionCan() {
        String database = server.database(null);
        try (Connection owner = server.owner(database).getConnection()) {
            assertThatThrownBy(() -> SchemaLinter.lint(owner, LintOptions.defaults()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot act as the application role sentinel_app")
                    .hasMessageContaining("a superuser connection, a member of sentinel_app, or a connection as"
                            + " sentinel_app itself");
            assertThat(owner.getAutoCommit()).isTrue();
        } catch (SQLException e) {
            throw new AssertionError(e);
        } finally {
            server.drop(database);
        }
    }

    @Test
    void aConnectionInsideATransactionIsRefused() throws SQLException {
        String database = server.database(null);
        try (Connection connection = server.admin(database).getConnection()) {
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> SchemaLinter.lint(connection))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not in auto-commit mode");
        } finally {
            server.drop(database);
        }
    }

    @Test
    void aMissingApplicationRoleIsNamed() throws SQLException {
        String database = server.database(null);
        try (Connection connection = server.admin(database).getConnection()) {
            LintOptions options = LintOptions.builder().roles(new Roles("sentinel_owner", "no_such_app")).build();
            assertThatThrownBy(() -> SchemaLinter.lint(connection, options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the application role no_such_app does not exist");
        } finally {
            server.drop(database);
        }
    }

    @Test
    void onlyTheNamedSchemasAreLinted() throws SQLException {
        String database = server.database("rls-not-enabled");
        try (Connection connection = server.admin(database).getConnection()) {
            assertThat(SchemaLinter.lint(connection, LintOptions.builder().schemas("sentinel").build())).isEmpty();
            assertThat(SchemaLinter.lint(connection, LintOptions.builder().schemas("public").build()))
                    .extracting(Finding::rule).containsExactly(Rule.RLS_NOT_ENABLED);
        } finally {
            server.drop(database);
        }
    }

    @Test
    void theReportSummarisesByRuleAndTableThenNamesEachFindingWithItsFix() {
        Finding finding = new Finding("public.notes", "notes_pkey", Rule.TENANT_KEY, "It is wrong.", "Fix it.");
        Finding rls = new Finding("public.notes", "row level security", Rule.RLS_NOT_ENABLED, "No RLS.", "Enable it.");
        Finding other = new Finding("public.tags", "row level security", Rule.RLS_NOT_ENABLED, "No RLS.", "Enable it.");
        assertThat(SchemaLinter.report(List.of(finding))).isEqualTo("""
                Schema lint: 1 finding in 1 table or role.
                  By rule:
                    tenant-key    1  public.notes
                  By table:
                    public.notes: tenant-key

                Each finding (docs/linter.md explains each rule):

                  [tenant-key] public.notes (notes_pkey)
                    It is wrong.
                    Fix: Fix it.""");
        assertThat(SchemaLinter.summary(List.of(finding, rls, other))).isEqualTo("""
                Schema lint: 3 findings in 2 tables or roles.
                  By rule:
                    rls-not-enabled    2  public.notes, public.tags
                    tenant-key         1  public.notes
                  By table:
                    public.notes: rls-not-enabled, tenant-key
                    public.tags: rls-not-enabled""");
        assertThat(finding).hasToString("[tenant-key] public.notes (notes_pkey): It is wrong. Fix: Fix it.");
        assertThat(SchemaLinter.report(List.of())).isEqualTo("Schema lint: no findings.");
    }

    /** Inserts notes of two tenants as the owner in the system scope, as a data migration would. */
    private void insertAsSystem(String database, int notes) {
        StringBuilder sql = new StringBuilder("begin; set local sentinel.scope = 'system';"
                + " insert into sentinel.tenants (id, slug, name) values"
                + " ('00000000-0000-0000-0000-00000000000a', 'a', 'A'), ('00000000-0000-0000-0000-00000000000b', 'b', 'B');");
        for (int i = 0; i < notes; i++) {
            sql.append(" insert into public.notes (tenant_id, id, ").append(hasSlug(database) ? "slug, " : "")
                    .append("body) values ('00000000-0000-0000-0000-00000000000").append(i % 2 == 0 ? 'a' : 'b')
                    .append("', gen_random_uuid(), ").append(hasSlug(database) ? "'n" + i + "', " : "")
                    .append("'note ").append(i).append("');");
        }
        sql.append(" commit;");
        try (Connection owner = server.owner(database).getConnection(); Statement statement = owner.createStatement()) {
            statement.execute(sql.toString());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean hasSlug(String database) {
        return countAsSystem(database, "information_schema.columns where table_schema = 'public'"
                + " and table_name = 'notes' and column_name = 'slug'") > 0;
    }

    private long countAsSystem(String database, String from) {
        try (Connection admin = server.admin(database).getConnection(); Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("select count(*) from " + from)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String roleAndPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_user || ' ' || current_setting('search_path')"
                        + " || ' ' || current_setting('transaction_read_only')")) {
            row.next();
            return row.getString(1);
        }
    }
}
