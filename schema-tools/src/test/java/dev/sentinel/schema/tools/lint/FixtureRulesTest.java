package dev.sentinel.schema.tools.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture migration per rule (schema-tools/src/test/resources/lint-fixtures), each a service's
 * migration that breaks exactly that rule, applied on top of Sentinel's schema as a service's
 * build applies it. The linter must name the rule, the table and the object, with a message that
 * says what is wrong, and nothing else.
 */
class FixtureRulesTest {

    static Stream<Arguments> fixtures() {
        return Stream.of(
                arguments("tenant-key-primary", Rule.TENANT_KEY, "public.notes", "notes_pkey",
                        "The primary key notes_pkey (PRIMARY KEY (id)) does not lead with tenant_id"),
                arguments("tenant-key-partial-unique-index", Rule.TENANT_KEY, "public.notes", "notes_slug_live_key",
                        "The unique index notes_slug_live_key (CREATE UNIQUE INDEX notes_slug_live_key ON public.notes"
                                + " USING btree (slug) WHERE (deleted_at IS NULL)) does not lead with tenant_id"),
                arguments("tenant-key-unique-constraint", Rule.TENANT_KEY, "public.notes", "notes_slug_key",
                        "The unique constraint notes_slug_key (UNIQUE (slug, tenant_id)) does not lead with tenant_id"),
                arguments("foreign-key-to-another-tenant", Rule.FOREIGN_KEY_WITHOUT_TENANT, "public.notes",
                        "notes_shared_with_fkey", "does not pair tenant_id with tenants (id), so a row of one tenant"
                                + " can point at a row of another"),
                arguments("foreign-key-without-tenant", Rule.FOREIGN_KEY_WITHOUT_TENANT, "public.notes",
                        "notes_project_fkey", "(FOREIGN KEY (project_tenant_id, project_id) REFERENCES"
                                + " sentinel.jobs(tenant_id, id)) does not pair tenant_id with sentinel.jobs"
                                + " (tenant_id)"),
                arguments("foreign-key-set-null", Rule.FOREIGN_KEY_NULLS_TENANT, "public.notes", "notes_project_fkey",
                        "has ON DELETE SET NULL, which sets every column of the key, tenant_id included"),
                arguments("tenant-id-nullable", Rule.TENANT_ID_COLUMN, "public.notes", "tenant_id",
                        "tenant_id is nullable, so the table can hold global rows"),
                arguments("rls-not-enabled", Rule.RLS_NOT_ENABLED, "public.notes", "row level security",
                        "Row-level security is not enabled on public.notes: every role that may read it sees every"
                                + " tenant's rows"),
                arguments("rls-not-forced", Rule.RLS_NOT_FORCED, "public.notes", "row level security",
                        "enabled but not forced on public.notes: the owner role"),
                arguments("policy-missing", Rule.POLICY_MISSING, "public.notes", "policies",
                        "no policy of public.notes applies to sentinel_app (PostgreSQL then denies everything):"
                                + " the tenant scope cannot SELECT, INSERT its own rows; the system scope cannot"
                                + " SELECT, INSERT every tenant's rows"),
                arguments("policy-missing-system-scope", Rule.POLICY_MISSING, "public.notes", "policies",
                        "shut out a scope that needs the table: the system scope cannot SELECT, INSERT every"
                                + " tenant's rows"),
                arguments("policy-leaks-is-null", Rule.POLICY_LEAKS, "public.notes", "policy tenant_scope",
                        "with no tenant set (sentinel.tenant_id = ''), a row of another tenant passes the policies"
                                + " for SELECT, INSERT, UPDATE, DELETE"),
                arguments("policy-leaks-seed-setting", Rule.POLICY_LEAKS, "public.notes", "policy tenant_isolation",
                        "a row of another tenant passes the policies for SELECT, INSERT, UPDATE, DELETE"),
                arguments("policy-leaks-any-tenant", Rule.POLICY_LEAKS, "public.notes", "policy tenant_scope",
                        "while another tenant is set, a row of another tenant passes the policies for SELECT,"
                                + " UPDATE, DELETE"),
                arguments("policy-combined", Rule.POLICY_COMBINED, "public.notes", "policies system_scope, tenant_scope",
                        "all apply to sentinel_app, which PostgreSQL combines with OR"),
                arguments("policy-error", Rule.POLICY_ERROR, "public.notes", "policies",
                        "Evaluating the policies of public.notes as sentinel_app fails with no tenant set"),
                arguments("app-role-truncate", Rule.APP_ROLE_TRUNCATE, "public.notes", "TRUNCATE",
                        "sentinel_app may TRUNCATE public.notes, and TRUNCATE ignores row-level security"),
                arguments("audit-trigger-missing", Rule.AUDIT_TRIGGER_MISSING, "public.notes", "sentinel_audit",
                        "public.notes has no audit trigger: its inserts, updates and deletes leave no row in the"
                                + " audit trail"),
                arguments("audit-trigger-unaudited-without-reason", Rule.AUDIT_TRIGGER_MISSING, "public.notes",
                        "sentinel_audit", "its comment says sentinel:unaudited without a reason"),
                arguments("audit-trigger-disabled", Rule.AUDIT_TRIGGER_MISSING, "public.notes", "sentinel_audit",
                        "does not audit every change: it is disabled"),
                arguments("audit-trigger-stale", Rule.AUDIT_TRIGGER_STALE, "public.notes", "sentinel_audit",
                        "the secret column api_token was marked sentinel:secret after it was attached, so the audit"
                                + " trail stores its values unredacted"),
                arguments("audit-table-granted", Rule.AUDIT_TABLE_WRITABLE, "sentinel.audit_log", "append-only",
                        "sentinel.audit_log is an audit table, so it must accept INSERT only, but sentinel_app holds"
                                + " UPDATE on it"),
                arguments("audit-table-unguarded", Rule.AUDIT_TABLE_WRITABLE, "public.note_events", "append-only",
                        "no enabled statement-level sentinel.reject_modification trigger rejects TRUNCATE"),
                arguments("secret-without-check", Rule.SECRET_WITHOUT_CHECK, "public.notes", "api_token",
                        "is commented sentinel:secret but has no CHECK calling sentinel.is_secret_ciphertext"),
                arguments("audit-trigger-stale-personal", Rule.AUDIT_TRIGGER_STALE, "public.notes", "sentinel_audit",
                        "the personal column email was marked sentinel:personal after it was attached, so the audit"
                                + " trail stores its values in clear, where erasure cannot reach them"),
                arguments("personal-and-secret", Rule.PERSONAL_COLUMN, "public.notes", "phone",
                        "is commented both sentinel:secret and sentinel:personal"),
                arguments("personal-not-erasable", Rule.PERSONAL_COLUMN, "public.notes", "birth_date",
                        "is sentinel:personal and NOT NULL, but its type date cannot hold the erasure placeholder"),
                arguments("personal-generated-copy", Rule.PERSONAL_COLUMN, "public.notes", "email_lower",
                        "is generated from the personal column email but is not sentinel:personal itself"),
                arguments("personal-without-id", Rule.PERSONAL_COLUMN, "public.notes", "email",
                        "public.notes has sentinel:personal columns but no uuid id (or user_id) column"),
                arguments("policy-subquery", Rule.POLICY_SUBQUERY, "public.notes", "policy tenant_scope",
                        "The policy tenant_scope of public.notes holds a subquery"),
                arguments("citus-set-null-key", Rule.CITUS_SET_NULL_KEY, "public.notes", "notes_project_fkey",
                        "Citus refuses SET NULL and SET DEFAULT on any foreign key that contains the distribution column"),
                arguments("citus-update-cascade", Rule.CITUS_UPDATE_CASCADE, "public.notes", "notes_project_fkey",
                        "Citus refuses CASCADE, SET NULL and SET DEFAULT on update"),
                arguments("not-distributed", Rule.NOT_DISTRIBUTED, "public.notes", "sentinel.distribute",
                        "public.notes was not placed by sentinel.distribute"));
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @MethodSource("fixtures")
    void theFixtureBreaksExactlyItsRule(String fixture, Rule rule, String table, String object, String message) {
        LintServer server = LintServer.get();
        String database = server.database(fixture);
        try {
            List<Finding> findings = server.lint(database);
            assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
                assertThat(finding.rule()).isEqualTo(rule);
                assertThat(finding.table()).isEqualTo(table);
                assertThat(finding.object()).isEqualTo(object);
                assertThat(finding.message()).contains(message);
                assertThat(finding.fix()).isNotBlank();
            });
        } finally {
            server.drop(database);
        }
    }

    @org.junit.jupiter.api.Test
    void everyRuleHasAFixtureOrARoleTest() {
        List<Rule> covered = fixtures().map(arguments -> (Rule) arguments.get()[1]).distinct().toList();
        List<Rule> roleRules = List.of(Rule.APP_ROLE_SUPERUSER, Rule.APP_ROLE_BYPASSRLS, Rule.APP_ROLE_MEMBER_OF_OWNER,
                Rule.APP_ROLE_OWNS_OBJECTS);
        assertThat(Stream.concat(covered.stream(), roleRules.stream()))
                .describedAs("rules with a fixture here or a test in AppRoleRulesTest")
                .containsExactlyInAnyOrder(Rule.values());
    }
}
