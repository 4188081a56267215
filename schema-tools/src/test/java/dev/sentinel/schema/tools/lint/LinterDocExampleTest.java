package dev.sentinel.schema.tools.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.schema.Roles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/linter.md ("By hand, as a plain API") runs as the page shows it, on a
 * database whose service table has the seed system's leaking policy, and prints the finding.
 */
class LinterDocExampleTest {

    private final LintServer server = LintServer.get();

    @Test
    void theExampleLintsByHandAndPrintsEachFinding() throws SQLException {
        String database = server.database("policy-leaks-is-null");
        DataSource adminDataSource = server.admin(database);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            try (Connection admin = adminDataSource.getConnection()) {          // a superuser, see below
                List<Finding> findings = SchemaLinter.lint(admin, LintOptions.builder()
                        .roles(new Roles("sentinel_owner", "sentinel_app"))
                        .schemas("sentinel", "public")
                        .build());
                findings.forEach(System.out::println);                            // or SchemaLinter.report(findings)
            }
        } finally {
            System.setOut(out);
            server.drop(database);
        }

        assertThat(LintServer.ROLES).describedAs("the roles the example names are the server's").isEqualTo(
                new Roles("sentinel_owner", "sentinel_app"));
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList())
                .describedAs("one line per finding: the leaking policy of public.notes, and nothing in Sentinel's schema")
                .singleElement().asString()
                .startsWith("[policy-leaks] public.notes (policy tenant_scope): ")
                .contains("IS NULL fallback");
    }
}
