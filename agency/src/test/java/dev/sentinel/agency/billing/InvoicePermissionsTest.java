package dev.sentinel.agency.billing;

import static dev.sentinel.agency.db.Tables.PROJECTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxConsumer;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every billing operation that writes needs its permission, granted by default to admin (all),
 * staff (the day-to-day ones) and viewer (none); a denied call writes nothing, and reads need none.
 */
class InvoicePermissionsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor SERVICE = Actor.service("billing");
    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private static final List<String> PERMISSIONS = List.of("client:write", "invoice:draft", "invoice:issue",
            "invoice:mark_paid", "invoice:void", "invoice:credit", "invoice:configure", "ledger:record");

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID client;
    private static UUID project;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4)
                .clock(new BillingFixture.MovableClock(NOW)).build();
        tenant = BillingFixture.tenant(sentinel, "Europe/Madrid");
        client = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.attach(Clients.class).create(NewClient.of("Client")).id());
        project = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.table(PROJECTS)
                .insert(new ProjectsRecord().setName("Website").setSlug("website")).getId());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static Actor member(String roleKey) {
        UUID user = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create(roleKey + "-" + System.nanoTime() + "@example.com", roleKey).id());
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(user, SeatType.PRO, roleKey));
        return Actor.user(user);
    }

    /** Fresh objects for each attempt, made by the service: a draft, an issued invoice, a credit-note draft. */
    private record Subjects(Invoice draft, Invoice issued, Invoice creditNote) {
    }

    private static Subjects subjects(UUID projectId) {
        return sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(NewInvoice.of(client, "EUR").withProject(projectId));
            tx.attach(Invoices.class).addItem(draft.id(), "Work", BigDecimal.ONE, BigDecimal.TEN);
            Invoice toIssue = tx.attach(Invoices.class).createDraft(NewInvoice.of(client, "EUR").withProject(projectId));
            tx.attach(Invoices.class).addItem(toIssue.id(), "Work", BigDecimal.ONE, BigDecimal.TEN);
            Invoice issued = tx.attach(Invoices.class).issue(toIssue.id());
            Invoice note = tx.attach(Invoices.class).createCreditNote(issued.id());
            return new Subjects(tx.attach(Invoices.class).get(draft.id()), issued, note);
        });
    }

    /** Each write operation by the permission it needs (one for each of {@link #PERMISSIONS}). */
    private static Map<String, TxConsumer<RuntimeException>> operations(Subjects s) {
        return Map.of(
                "client:write", tx -> tx.attach(Clients.class).create(NewClient.of("Another")),
                "invoice:draft", tx -> tx.attach(Invoices.class).addItem(s.draft().id(), "More", BigDecimal.ONE, BigDecimal.ONE),
                "invoice:issue", tx -> tx.attach(Invoices.class).issue(s.draft().id()),
                "invoice:mark_paid", tx -> tx.attach(Invoices.class).markPaid(s.issued().id(), NOW),
                "invoice:void", tx -> tx.attach(Invoices.class).voidInvoice(s.issued().id(), "mistake"),
                "invoice:credit", tx -> tx.attach(Invoices.class).issue(s.creditNote().id()),
                "invoice:configure", tx -> tx.attach(Invoices.class).configureSeries("INV", InvoiceKind.INVOICE, "{yyyy}/{0000}"),
                "ledger:record", tx -> tx.attach(Ledger.class).record(NewLedgerEntry.payment(s.issued().id(),
                        BigDecimal.ONE, "EUR", NOW, null)));
    }

    private static void expect(Actor actor, UUID projectId, List<String> allowed) {
        for (String permission : PERMISSIONS) {
            TxConsumer<RuntimeException> operation = operations(subjects(projectId)).get(permission);
            if (allowed.contains(permission)) {
                sentinel.tenant(tenant, actor).useTransaction(operation);
            } else {
                List<String> before = BillingFixture.fingerprint(sentinel);
                assertThatThrownBy(() -> sentinel.tenant(tenant, actor).useTransaction(operation))
                        .describedAs(permission).isInstanceOf(PermissionDeniedException.class).hasMessageContaining(permission);
                assertThat(BillingFixture.fingerprint(sentinel)).describedAs("a denied %s writes nothing", permission)
                        .isEqualTo(before);
            }
        }
    }

    @Test
    void aViewerWritesNothingButReadsEverything() {
        Actor viewer = member("viewer");
        expect(viewer, null, List.of());
        Subjects s = subjects(null);
        Invoice read = sentinel.tenant(tenant, viewer).inTransaction(tx -> tx.attach(Invoices.class).get(s.issued().id()));
        assertThat(read).isEqualTo(s.issued());
        boolean complete = sentinel.tenant(tenant, viewer).inTransaction(tx -> tx.attach(Invoices.class).gapReport("INV", 2026).isComplete());
        boolean clientFound = sentinel.tenant(tenant, viewer).inTransaction(tx -> tx.attach(Clients.class).find(client).isPresent());
        assertThat(complete).isTrue();
        assertThat(clientFound).isTrue();
    }

    @Test
    void staffDoesTheDayToDayWorkAndAdminEverything() {
        expect(member("staff"), null, List.of("client:write", "invoice:draft", "invoice:issue", "invoice:mark_paid",
                "ledger:record"));
        expect(member("admin"), null, PERMISSIONS);
    }

    @Test
    void aGrantNarrowedToAProjectCountsForThatProjectsInvoicesOnly() {
        Actor narrowed = member(null);
        UUID user = narrowed.userId().orElseThrow();
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.roles().assign(user, "staff", Projects.resource(project)));

        Subjects ofProject = subjects(project);
        Invoice issued = sentinel.tenant(tenant, narrowed).inTransaction(tx -> tx.attach(Invoices.class).issue(ofProject.draft().id()));
        assertThat(issued.status()).isEqualTo(InvoiceStatus.ISSUED);

        Subjects withoutProject = subjects(null);
        assertThatThrownBy(() -> sentinel.tenant(tenant, narrowed).useTransaction(tx -> tx.attach(Invoices.class).issue(withoutProject.draft().id())))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("invoice:issue");
        assertThatThrownBy(() -> sentinel.tenant(tenant, narrowed).useTransaction(tx -> tx.attach(Clients.class).create(NewClient.of("X"))))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("client:write");
    }
    @Test
    void issueDecidesThePermissionForTheTransactionsActorEvenIfRawSqlChangedTheActorSetting() {
        // issue() asks the database whether the actor holds invoice:issue in its locking read; the answer
        // must not count for an actor setting that raw SQL rewrote to a service, which holds everything.
        Actor viewer = member("viewer");
        Subjects s = subjects(null);
        List<String> before = BillingFixture.fingerprint(sentinel);
        assertThatThrownBy(() -> sentinel.tenant(tenant, viewer).useTransaction(tx -> {
            tx.dsl().execute("select set_config('sentinel.actor_id', 'service:forged', true)");
            tx.attach(Invoices.class).issue(s.draft().id());
        })).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("invoice:issue");
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }
}
