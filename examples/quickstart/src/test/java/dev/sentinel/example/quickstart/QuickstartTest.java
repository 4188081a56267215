package dev.sentinel.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.Agency;
import dev.sentinel.testing.SentinelDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's run command tells the story it promises; it runs once for all the checks. With
 * {@code -Pcitus} the story runs on a database of the Citus cluster (SENTINEL_CITUS_URL) instead of
 * an embedded PostgreSQL, through the quickstart's path for an existing database.
 */
class QuickstartTest {

    private static String story;
    private static SentinelDatabase citusDatabase;

    @BeforeAll
    static void runQuickstart() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            if ("required".equals(System.getProperty("sentinel.citus"))) {
                // The fixture creates the database on every node and migrates it as the quickstart's
                // own start-up would (Sentinel's migrations, then the agency module's); the
                // quickstart's migration run then finds nothing left to apply.
                citusDatabase = SentinelDatabase.builder().moduleMigrations(Agency.SCHEMA, Agency.MIGRATION_LOCATION).build().start();
                Quickstart.run(out, citusDatabase.jdbcUrl(), citusDatabase.rolePassword(), citusDatabase.rolePassword(),
                        citusDatabase.rolePassword());
            } else {
                Quickstart.run(out);
            }
        }
        story = buffer.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void dropCitusDatabase() {
        if (citusDatabase != null) {
            citusDatabase.close();
        }
    }

    @Test
    void createsTwoTenantsWithMembersAndRoles() {
        assertThat(story)
                .contains("Created the tenant Acme GmbH", "Created the tenant Globex Corp")
                // On an existing database (-Pcitus) the addresses carry the run's suffix, alice-1a2b3c@example.com.
                .containsPattern("alice(-[0-9a-f]{6})?@example\\.com +active +seat pro +roles: admin")
                .containsPattern("bob(-[0-9a-f]{6})?@example\\.com +active +seat free_beta +roles: staff");
    }

    @Test
    void booksTimeAtTheRatesOfTheAssignments() {
        // Alice 90 min at 120.00; Bob 240 billable min at 90.00 and 30 min not billable.
        assertThat(story)
                .containsPattern("Alice +90 min, +90 billable, 180\\.00 EUR")
                .containsPattern("Bob +270 min, +240 billable, 360\\.00 EUR")
                .containsPattern("total +360 min, +330 billable, 540\\.00 EUR");
    }

    @Test
    void issuesConsecutiveNumbersAndARolledBackIssueLeavesNoGap() {
        Matcher first = Pattern.compile("Issued INV-(\\d{4})-000001: net 180\\.00, tax 34\\.20, gross 214\\.20 EUR\\.").matcher(story);
        assertThat(first.find()).as("the first invoice in:%n%s", story).isTrue();
        String year = first.group(1);
        assertThat(story)
                .contains("A transaction issued INV-" + year + "-000002 and then failed")
                .contains("Issued INV-" + year + "-000002 on the retry: net 360.00, tax 68.40, gross 428.40 EUR.")
                .contains("Gap report for INV " + year + ": last number 2, 2 issued, missing [] -> complete.")
                .doesNotContain("-000003");
    }

    @Test
    void softDeletesALeadOnlyWithThePermission() {
        assertThat(story)
                .contains("Bob (staff) tried to delete it: refused, PermissionDeniedException, nothing written.")
                .contains("Alice deleted it (\"Went with a competitor\"): the row stays, with who and why, but reads no longer show it.");
    }

    @Test
    void provesThatTenantBCannotSeeTenantARowsThroughRawSql() {
        assertThat(story)
                .containsPattern("as Alice in Acme GmbH +-> 2\n")
                .containsPattern("as Gina in Globex Corp +-> 0\n")
                .containsPattern("Gina, by the id of INV-\\d{4}-000001: +raw SQL finds 0 row\\(s\\), tx\\.attach\\(Invoices\\.class\\)\\.find finds nothing\\.")
                .contains("Gina sees 1 tenant row(s) in sentinel.tenants: her own.");
    }

    @Test
    void printsTheAuditTrailAndVerifiesItsChain() {
        assertThat(story)
                .containsPattern("Alice +insert +agency\\.invoices")
                .containsPattern("Alice +soft_delete +agency\\.leads")
                .containsPattern("Bob +insert +agency\\.time_entries");
        Matcher entries = Pattern.compile("Acme GmbH's trail, .*\\((\\d+) entries, oldest first\\)").matcher(story);
        Matcher verified = Pattern.compile("Verification of Acme GmbH's chain: (\\d+) link\\(s\\), intact\\.").matcher(story);
        assertThat(entries.find()).as("the trail in:%n%s", story).isTrue();
        assertThat(verified.find()).as("the verification in:%n%s", story).isTrue();
        // Every entry of the trail that was printed is covered by the verified chain.
        assertThat(Integer.parseInt(verified.group(1))).isEqualTo(Integer.parseInt(entries.group(1))).isPositive();
    }
}
