package dev.sentinel.schema.tools.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules about the application role. A migration cannot break them (the owner may not make a
 * role a superuser or give away its tables), so each test breaks one as the superuser, on a
 * database with Sentinel's schema and the clean fixture, and repairs it afterwards: roles are
 * cluster-wide, and this JVM's server is the tests' own.
 */
class AppRoleRulesTest {

    private final LintServer server = LintServer.get();
    private String database;

    @BeforeEach
    void createDatabase() {
        database = server.database("clean");
    }

    @AfterEach
    void dropDatabase() {
        server.drop(database);
    }

    @Test
    void aSuperuserApplicationRoleIsNamed() {
        server.admin(database, "alter role sentinel_app superuser");
        try {
            assertOnlyFinding(Rule.APP_ROLE_SUPERUSER, "sentinel_app",
                    "The application role sentinel_app is a superuser: superusers skip row-level security");
        } finally {
            server.admin(database, "alter role sentinel_app nosuperuser");
        }
    }

    @Test
    void bypassRlsIsNamed() {
        server.admin(database, "alter role sentinel_app bypassrls");
        try {
            assertOnlyFinding(Rule.APP_ROLE_BYPASSRLS, "sentinel_app", "sentinel_app has BYPASSRLS");
        } finally {
            server.admin(database, "alter role sentinel_app nobypassrls");
        }
    }

    @Test
    void membershipInTheOwnerRoleIsNamed() {
        server.admin(database, "grant sentinel_owner to sentinel_app");
        try {
            assertOnlyFinding(Rule.APP_ROLE_MEMBER_OF_OWNER, "sentinel_app",
                    "sentinel_app is a member of sentinel_owner, which owns Sentinel's or the service's objects");
        } finally {
            server.admin(database, "revoke sentinel_owner from sentinel_app");
        }
    }

    @Test
    void aFunctionOwnedByTheApplicationRoleIsNamed() {
        server.admin(database, "create function public.note_count() returns bigint language sql"
                + " as 'select count(*) from public.notes'; alter function public.note_count() owner to sentinel_app");
        List<Finding> findings = server.lint(database);
        assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo(Rule.APP_ROLE_OWNS_OBJECTS);
            assertThat(finding.table()).isNull();
            assertThat(finding.object()).isEqualTo("function public.note_count()");
            assertThat(finding.fix()).contains("ALTER FUNCTION public.note_count() OWNER TO sentinel_owner");
        });
    }

    @Test
    void aTableOwnedByTheApplicationRoleIsNamedOnceWithItsTable() {
        server.admin(database, "alter table public.notes owner to sentinel_app");
        List<Finding> findings = server.lint(database);
        assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo(Rule.APP_ROLE_OWNS_OBJECTS);
            assertThat(finding.table()).isEqualTo("public.notes");
            assertThat(finding.object()).isEqualTo("table public.notes");
            assertThat(finding.message()).contains("can disable row-level security or drop its policies");
        });
    }

    private void assertOnlyFinding(Rule rule, String object, String message) {
        List<Finding> findings = server.lint(database);
        assertThat(findings).as(SchemaLinter.report(findings)).singleElement().satisfies(finding -> {
            assertThat(finding.rule()).isEqualTo(rule);
            assertThat(finding.table()).isNull();
            assertThat(finding.object()).isEqualTo(object);
            assertThat(finding.message()).contains(message);
        });
    }
}
