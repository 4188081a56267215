package dev.sentinel.agency.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxCallback;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack family "numbering broken inside one's own tenant" (issue #23, item 3), for invoices: raw
 * SQL through {@code tx.dsl()} in the attacker's own tenant tries to create issued invoices, to take
 * the next number without the counter, to move the counter, and to print a number of its own. Each
 * is refused, and the next {@code issue()} still gets the next gap-free number.
 */
class InvoiceNumberingAttackTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor CLERK = Actor.service("billing");
    private static final Instant MARCH_2026 = Instant.parse("2026-03-02T10:00:00Z");

    private static Sentinel sentinel;
    private UUID tenant;
    private UUID client;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).clock(new BillingFixture.MovableClock(MARCH_2026)).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void tenantAndClient() {
        tenant = BillingFixture.tenant(sentinel, "Europe/Berlin");
        client = in(tx -> tx.attach(Clients.class).create(NewClient.of("Acme GmbH").withCurrency("EUR"))).id();
    }

    private <R> R in(TxCallback<R, RuntimeException> work) {
        return sentinel.tenant(tenant, CLERK).inTransaction(work);
    }

    private Invoice draft() {
        return in(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(client, "EUR");
            tx.attach(Invoices.class).addItem(draft.id(), NewInvoiceItem.of("Design", new BigDecimal("1"), new BigDecimal("100.00")));
            return tx.attach(Invoices.class).get(draft.id());
        });
    }

    private Invoice issue(Invoice draft) {
        return in(tx -> tx.attach(Invoices.class).issue(draft.id()));
    }

    @Test
    void anInvoiceInsertedAsIssuedWithAnyNumberIsRefused() {
        draft(); // the series INV exists from here on, so only the numbering can refuse the insert
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("insert into agency.invoices (tenant_id, id, client_id, currency, status,"
                + " number, sequence_year, sequence_number, issued_at, issued_on, net_total, tax_total, gross_total)"
                + " values (?, gen_random_uuid(), ?, 'EUR', 'issued', 'INV-2026-000099', 2026, 99, now(), '2026-03-02', 1, 0, 1)",
                tenant, client)))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, "invoices_numbering_guard")));
    }

    @Test
    void takingTheNextNumberWithoutTheCounterIsRefusedAndIssueStillNumbersGapFree() {
        Invoice first = issue(draft());
        Invoice stolen = draft();
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("update agency.invoices set status = 'issued', number = 'INV-2026-000002',"
                + " sequence_year = 2026, sequence_number = 2, issued_at = now(), issued_on = '2026-03-02', net_total = 100,"
                + " tax_total = 0, gross_total = 100 where tenant_id = ? and id = ?", tenant, stolen.id())))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, "invoices_numbering_guard")));

        Invoice second = issue(stolen);
        assertThat(first.number()).isEqualTo("INV-2026-000001");
        assertThat(second.number()).describedAs("the next issue, after the attack").isEqualTo("INV-2026-000002");
    }

    @Test
    void theCounterCannotBeMovedAndAnAllocatedNumberCannotBePrintedAnotherWay() {
        issue(draft());
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("update sentinel.number_counters set last_value = 40"
                + " where tenant_id = ?", tenant)))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("number_counters");

        Invoice forged = draft();
        String printed = "update agency.invoices set status = 'issued', number = 'FAKE-7',"
                + " sequence_year = 2026, sequence_number = sentinel.next_number('agency.invoices:INV', '2026'), issued_at = now(),"
                + " issued_on = '2026-03-02', net_total = 100, tax_total = 0, gross_total = 100 where tenant_id = ? and id = ?";
        if (dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource())) {
            // Citus refuses the statement itself while planning it (a volatile function in an update), before any number is taken.
            assertThatThrownBy(() -> in(tx -> tx.dsl().execute(printed, tenant, forged.id())))
                    .isInstanceOf(dev.sentinel.core.DatabaseException.class).hasMessageContaining("must not be VOLATILE");
            assertThat(issue(forged).number()).isEqualTo("INV-2026-000002");
            return;
        }
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute(printed, tenant, forged.id())))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, "invoices_numbering_guard")));

        assertThat(issue(forged).number()).isEqualTo("INV-2026-000002");
    }
    @Test
    void issuingWithTheCountersNumberButTotalsThatAreNotTheLinesIsRefused() {
        Invoice draft = draft();
        // The number is the counter's, printed in the series' format: only the totals are forged.
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("with n as (select sentinel.next_number('agency.invoices:INV', '2026') as v)"
                + " update agency.invoices set status = 'issued', number = agency.format_invoice_number('{series}-{yyyy}-{000000}', 'INV',"
                + " 2026, n.v), sequence_year = 2026, sequence_number = n.v, issued_at = now(), issued_on = '2026-03-02',"
                + " net_total = 1, tax_total = 0, gross_total = 1 from n where tenant_id = ? and id = ?", tenant, draft.id())))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, "invoices_issue_check")));
        // A draft cannot leave draft other than by being issued.
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("update agency.invoices set status = 'void', voided_at = now()"
                + " where tenant_id = ? and id = ?", tenant, draft.id())))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, "invoices_status_transition")));

        assertThat(issue(draft).number()).describedAs("the rolled-back statement gave its number back").isEqualTo("INV-2026-000001");
    }
}
