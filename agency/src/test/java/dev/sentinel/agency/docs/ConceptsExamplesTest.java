package dev.sentinel.agency.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.billing.Client;
import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.Invoice;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoiceItem;
import dev.sentinel.agency.crm.Lead;
import dev.sentinel.agency.crm.LeadConversion;
import dev.sentinel.agency.crm.Leads;
import dev.sentinel.agency.crm.NewLead;
import dev.sentinel.agency.db.enums.IntegrationStatus;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.agency.db.enums.LeadStatus;
import dev.sentinel.agency.integrations.Integration;
import dev.sentinel.agency.integrations.Integrations;
import dev.sentinel.agency.integrations.NewIntegration;
import dev.sentinel.agency.integrations.OAuthTokens;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.secrets.SecretKey;
import dev.sentinel.core.secrets.SecretKeys;
import dev.sentinel.core.support.People;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of docs/concepts.md (the job queue) and docs/agency.md (billing, leads, integrations)
 * run exactly as the pages show them, with the variables they use defined around them, and do what
 * the pages say. (The identity example is core's {@code IdentityExampleTest}'s.) Core's
 * {@code DocSnippetsTest} checks that the pages show these lines.
 */
class ConceptsExamplesTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    /** The service's clock: numbers and issue dates are in 2026, whenever the test runs. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    private static Sentinel sentinel;
    private UUID tenantId;
    private UUID userId;

    @BeforeAll
    static void start() throws Exception {
        byte[] material = MessageDigest.getInstance("SHA-256").digest("concepts examples key".getBytes(StandardCharsets.UTF_8));
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4)
                .clock(CLOCK).secretKeys(SecretKeys.of(SecretKey.of("docs-k1", material))).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void tenantAndStaffMember() {
        tenantId = Tenants.create(sentinel);
        userId = People.member(sentinel, tenantId, "Sam Staff", "staff");
    }

    private UUID client() {
        return sentinel.tenant(tenantId, Tenants.SETUP).inTransaction(tx -> tx.attach(Clients.class).create(NewClient.of("Acme GmbH")
                .withBillingEmail("billing@acme.example").withCurrency("EUR")).id());
    }

    private UUID draft(UUID clientId) {
        return sentinel.tenant(tenantId, Tenants.SETUP).inTransaction(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(clientId, "EUR");
            tx.attach(Invoices.class).addItem(draft.id(), "Design work", new BigDecimal("2"), new BigDecimal("95.00"));
            return draft.id();
        });
    }

    private List<Job> queuedJobs() {
        return sentinel.tenant(tenantId, Tenants.SETUP).inTransaction(tx -> tx.jobs().list(JobState.QUEUED, 10));
    }

    private Invoice invoice(UUID id) {
        return sentinel.tenant(tenantId, Tenants.SETUP).inTransaction(tx -> tx.attach(Invoices.class).get(id));
    }

    @Test
    void theJobQueueExampleEnqueuesInTheCallersTransaction() {
        Actor actor = Actor.user(userId);
        UUID draftId = draft(client());

        // docs/concepts.md, "The job queue":
        sentinel.tenant(tenantId, actor).useTransaction(tx -> {
            tx.jobs().enqueue("invoices.send", "{\"invoice\": \"" + draftId + "\"}",
                    JobOptions.defaults().queue("mail").priority(10).dedupeKey("send-" + draftId));
            tx.attach(Invoices.class).issue(draftId);           // last: it holds the series' number counter until the commit
        });

        assertThat(queuedJobs()).singleElement().satisfies(job -> {
            assertThat(job.type()).isEqualTo("invoices.send");
            assertThat(job.queue()).isEqualTo("mail");
            assertThat(job.priority()).isEqualTo(10);
            assertThat(job.dedupeKey()).isEqualTo("send-" + draftId);
            assertThat(job.payload()).contains(draftId.toString());
            assertThat(job.tenantId()).isEqualTo(tenantId);
        });
        assertThat(invoice(draftId).status()).isEqualTo(InvoiceStatus.ISSUED);
        boolean duplicate = sentinel.tenant(tenantId, actor).inTransaction(tx -> tx.jobs().enqueue("invoices.send", "{}",
                JobOptions.defaults().queue("mail").dedupeKey("send-" + draftId)).duplicate());
        assertThat(duplicate).describedAs("the same dedupe key while the job is queued").isTrue();
        assertThat(queuedJobs()).hasSize(1);
    }

    @Test
    void withoutTheCommitThereIsNoJob() {
        Actor actor = Actor.user(userId);
        UUID draftId = draft(client());

        assertThatThrownBy(() -> sentinel.tenant(tenantId, actor).useTransaction(tx -> {
            tx.jobs().enqueue("invoices.send", "{\"invoice\": \"" + draftId + "\"}",
                    JobOptions.defaults().queue("mail").priority(10).dedupeKey("send-" + draftId));
            tx.attach(Invoices.class).issue(draftId);
            throw new IllegalStateException("the mail server is down");
        })).hasMessage("the mail server is down");

        assertThat(queuedJobs()).describedAs("the job rolled back with the transaction").isEmpty();
        assertThat(invoice(draftId).status()).isEqualTo(InvoiceStatus.DRAFT);
    }

    @Test
    void theBillingExampleIssuesTheTenantsNextNumber() {
        UUID clientId = client();

        // docs/agency.md, "Billing":
        Invoice issued = sentinel.tenant(tenantId, Actor.user(userId)).inTransaction(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(clientId, "EUR");
            tx.attach(Invoices.class).addItem(draft.id(), NewInvoiceItem.of("Design work", new BigDecimal("12.5"), new BigDecimal("95.00"))
                    .withTaxRate(new BigDecimal("19")));
            return tx.attach(Invoices.class).issue(draft.id());          // INV-2026-000042; the last write of the transaction
        });

        assertThat(issued.status()).isEqualTo(InvoiceStatus.ISSUED);
        assertThat(issued.number()).describedAs("the tenant's first invoice of 2026, in the default format")
                .isEqualTo("INV-2026-000001").matches("INV-2026-\\d{6}");
        assertThat(issued.totals().net()).isEqualByComparingTo("1187.50");
        assertThat(issued.totals().tax()).describedAs("19 %% of 1187.50, rounded half up").isEqualByComparingTo("225.63");
        assertThat(issued.totals().gross()).isEqualByComparingTo("1413.13");
        UUID nextDraft = draft(clientId);
        Invoice second = sentinel.tenant(tenantId, Actor.user(userId)).inTransaction(tx -> tx.attach(Invoices.class).issue(nextDraft));
        assertThat(second.number()).isEqualTo("INV-2026-000002");
    }

    @Test
    void theLeadsExampleTakesALeadToAClient() {
        UUID colleagueId = People.member(sentinel, tenantId, "Cleo Colleague", "staff");

        // docs/agency.md, "Leads, knowledge base and media":
        sentinel.tenant(tenantId, Actor.user(userId)).useTransaction(tx -> {
            Lead lead = tx.attach(Leads.class).create(NewLead.named("Ada Lovelace").email("ada@example.com")
                    .company("Analytical Engines").source(LeadSource.WEBSITE));
            tx.attach(Leads.class).assign(lead.id(), colleagueId);                  // an active member of the tenant
            tx.attach(Leads.class).changeStatus(lead.id(), LeadStatus.QUALIFIED);
            LeadConversion won = tx.attach(Leads.class).convertToClient(lead.id()); // creates the client, lead is won
        });

        Lead lead = sentinel.tenant(tenantId, Actor.user(userId)).inTransaction(tx -> tx.attach(Leads.class).search("ada", 10)).getFirst();
        assertThat(lead.name()).isEqualTo("Ada Lovelace");
        assertThat(lead.status()).isEqualTo(LeadStatus.WON);
        assertThat(lead.assignedTo()).isEqualTo(colleagueId);
        assertThat(lead.clientId()).isNotNull();
        Client client = sentinel.tenant(tenantId, Actor.user(userId))
                .inTransaction(tx -> tx.attach(Clients.class).find(lead.clientId())).orElseThrow();
        assertThat(client.name()).describedAs("named after the company").isEqualTo("Analytical Engines");
        assertThat(client.billingEmail()).isEqualTo("ada@example.com");
    }

    @Test
    void theIntegrationsExampleReadsBackTheTokensItConnected() {
        UUID adminId = People.member(sentinel, tenantId, "Ada Admin", "admin");
        String access = "ya29.access-" + UUID.randomUUID();
        String refresh = "1//refresh-" + UUID.randomUUID();
        Instant expiresAt = Instant.parse("2026-11-23T11:00:00Z");

        // docs/agency.md, "Integrations":
        sentinel.tenant(tenantId, Actor.user(adminId)).useTransaction(tx ->
                tx.attach(Integrations.class).connect(NewIntegration.of("google", new OAuthTokens(access, refresh, expiresAt))
                        .scopes(List.of("openid", "https://www.googleapis.com/auth/calendar"))
                        .configJson("{\"calendar\": \"primary\"}").externalAccountId("acme.example")));

        // Later, in the service's own code that calls Google:
        OAuthTokens tokens = sentinel.tenant(tenantId, Actor.service("calendar-sync"))
                .inTransaction(tx -> tx.attach(Integrations.class).tokens("google"));

        assertThat(tokens).isEqualTo(new OAuthTokens(access, refresh, expiresAt));
        Integration google = sentinel.tenant(tenantId, Actor.user(userId)).inTransaction(tx -> tx.attach(Integrations.class).find("google"))
                .orElseThrow();
        assertThat(google.status()).isEqualTo(IntegrationStatus.CONNECTED);
        assertThat(google.scopes()).containsExactly("openid", "https://www.googleapis.com/auth/calendar");
        assertThat(google.configJson()).isEqualTo("{\"calendar\": \"primary\"}");
        assertThat(google.externalAccountId()).isEqualTo("acme.example");
        assertThat(google.createdBy()).isEqualTo(adminId);
    }
}
