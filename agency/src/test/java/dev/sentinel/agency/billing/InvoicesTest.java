package dev.sentinel.agency.billing;

import static dev.sentinel.core.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxCallback;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drafts, issuing, numbering, credit notes, paid and void, immutability (through the API and raw
 * SQL), audit rows, the gap report, the ledger, and bad input that must write nothing. Each test
 * uses a tenant of its own, so numbering starts at 1.
 */
class InvoicesTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor CLERK = Actor.service("billing");
    private static final Instant MARCH_2026 = Instant.parse("2026-03-02T10:00:00Z");

    private static Sentinel sentinel;
    private static BillingFixture.MovableClock clock;
    private UUID tenant;
    private UUID client;

    @BeforeAll
    static void start() {
        clock = new BillingFixture.MovableClock(MARCH_2026);
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(4)
                .clock(clock).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void tenantAndClient() {
        clock.set(MARCH_2026);
        tenant = BillingFixture.tenant(sentinel, "Europe/Berlin");
        client = in(tx -> tx.attach(Clients.class).create(NewClient.of("Acme GmbH").withCountryCode("DE")
                .withBillingEmail("billing@acme.example").withCurrency("EUR"))).id();
    }

    private <R> R in(TxCallback<R, RuntimeException> work) {
        return sentinel.tenant(tenant, CLERK).inTransaction(work);
    }

    private Invoice draftWithLines(String currency, NewInvoiceItem... lines) {
        return in(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(client, currency);
            for (NewInvoiceItem line : lines) {
                tx.attach(Invoices.class).addItem(draft.id(), line);
            }
            return tx.attach(Invoices.class).get(draft.id());
        });
    }

    private Invoice issued(String description) {
        Invoice draft = draftWithLines("EUR", NewInvoiceItem.of(description, new BigDecimal("2"), new BigDecimal("50.00"))
                .withTaxRate(new BigDecimal("19")));
        return in(tx -> tx.attach(Invoices.class).issue(draft.id()));
    }

    private GapReport gaps(String series, int year) {
        return in(tx -> tx.attach(Invoices.class).gapReport(series, year));
    }

    private Invoice reread(Invoice invoice) {
        return in(tx -> tx.attach(Invoices.class).get(invoice.id()));
    }

    private List<AuditEntry> audit(String table, UUID id) {
        return in(tx -> tx.audit().list(AuditFilter.all().entity(table, id), 100).entries().reversed());
    }

    private static NewInvoiceItem line(String description, String quantity, String unitPrice) {
        return NewInvoiceItem.of(description, new BigDecimal(quantity), new BigDecimal(unitPrice));
    }

    /** The same line as a change of an existing one. */
    private static InvoiceItemChange change(NewInvoiceItem line) {
        return new InvoiceItemChange(line.description(), line.quantity(), line.unitPrice(), line.taxRate(), line.serviceId());
    }

    // ------------------------------------------------------------------------------ numbering

    @Test
    void issuingNumbersEachSeriesAndYearFromOneInTheDefaultFormat() {
        Invoice first = issued("Design work");
        Invoice second = issued("Hosting");
        clock.set(Instant.parse("2027-02-01T09:00:00Z"));
        Invoice nextYear = issued("Design work");

        assertThat(List.of(first.number(), second.number(), nextYear.number()))
                .containsExactly("INV-2026-000001", "INV-2026-000002", "INV-2027-000001");
        assertThat(first.status()).isEqualTo(InvoiceStatus.ISSUED);
        assertThat(first.sequenceYear()).isEqualTo(2026);
        assertThat(first.sequenceNumber()).isEqualTo(1);
        assertThat(first.issuedAt()).isEqualTo(MARCH_2026);
        assertThat(first.issuedOn()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(first.totals().gross()).isEqualByComparingTo("119.00");

        Invoice read = in(tx -> tx.attach(Invoices.class).get(first.id()));
        assertThat(read).describedAs("what issue() returns is what was stored").isEqualTo(first);
        assertThat(gaps("INV", 2026))
                .isEqualTo(new GapReport("INV", 2026, 2, 2, List.of(), List.of()));
        assertThat(this.<java.util.Optional<NumberSeries>>in(tx -> tx.attach(Invoices.class).series("INV")))
                .contains(new NumberSeries("INV", InvoiceKind.INVOICE, NumberSeries.DEFAULT_FORMAT));
    }

    @Test
    void theYearIsTheIssueDatesYearInTheTenantsTimeZoneNotUtcNorTheJvms() {
        UUID auckland = BillingFixture.tenant(sentinel, "Pacific/Auckland");
        UUID stJohns = BillingFixture.tenant(sentinel, "America/St_Johns");
        // 2026-12-31T11:30Z is 00:30 on New Year's Day in Auckland (UTC+13), still 2026 in UTC and in
        // the JVM's Asia/Colombo; 2027-01-01T02:00Z is 22:30 on New Year's Eve in St. John's (UTC-3:30).
        clock.set(Instant.parse("2026-12-31T11:30:00Z"));
        Invoice inAuckland = issueFor(auckland);
        clock.set(Instant.parse("2027-01-01T02:00:00Z"));
        Invoice inStJohns = issueFor(stJohns);

        assertThat(inAuckland.number()).isEqualTo("INV-2027-000001");
        assertThat(inAuckland.issuedOn()).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(inStJohns.number()).isEqualTo("INV-2026-000001");
        assertThat(inStJohns.issuedOn()).isEqualTo(LocalDate.of(2026, 12, 31));
    }

    private Invoice issueFor(UUID otherTenant) {
        return sentinel.tenant(otherTenant, CLERK).inTransaction(tx -> {
            UUID someone = tx.attach(Clients.class).create(NewClient.of("Kiwi Ltd")).id();
            Invoice draft = tx.attach(Invoices.class).createDraft(someone, "NZD");
            tx.attach(Invoices.class).addItem(draft.id(), "Consulting", BigDecimal.ONE, new BigDecimal("100"));
            return tx.attach(Invoices.class).issue(draft.id());
        });
    }

    @Test
    void aConfiguredFormatAppliesFromNowOnAndNeverCutsTheCounter() {
        Invoice before = issued("Before");
        in(tx -> tx.attach(Invoices.class).configureSeries("INV", InvoiceKind.INVOICE, "RE/{yy}/{0}"));
        List<String> numbers = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            numbers.add(issued("After").number());
        }
        assertThat(before.number()).isEqualTo("INV-2026-000001");
        assertThat(in(tx -> tx.attach(Invoices.class).get(before.id())).number()).describedAs("issued numbers keep their format")
                .isEqualTo("INV-2026-000001");
        assertThat(numbers).startsWith("RE/26/2").endsWith("RE/26/10");

        in(tx -> tx.attach(Invoices.class).configureSeries("EXP", InvoiceKind.INVOICE, "{series}{yyyy}#{0000}"));
        Invoice exported = in(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(NewInvoice.of(client, "USD").withSeries("EXP"));
            tx.attach(Invoices.class).addItem(draft.id(), "Export", BigDecimal.ONE, BigDecimal.TEN);
            return tx.attach(Invoices.class).issue(draft.id());
        });
        assertThat(exported.number()).isEqualTo("EXP2026#0001");
    }

    @Test
    void malformedNumberFormatsAreRefusedByTheApiAndByTheDatabase() {
        List<String> before = BillingFixture.fingerprint(sentinel);
        for (String format : List.of("INV-{000000}", "{yyyy}-{yy}-{000}", "{yyyy}-{000}-{00}", "INV {yyyy}-{000}",
                "{yyyy}-{0000000000000}", "{yyyy}-{series}", "")) {
            assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).configureSeries("INV", InvoiceKind.INVOICE, format)))
                    .describedAs(format).isInstanceOf(InvalidInputException.class).hasMessageContaining("number format");
        }
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute("insert into agency.invoice_series (tenant_id, series, kind,"
                + " number_format) values (?, 'RAW', 'invoice', 'RAW-{000000}')", tenant)))
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo("invoice_series_number_format_check"));
    }

    @Test
    void aRollbackAfterIssuingReturnsTheNumberSoNoGapIsLeft() {
        Invoice first = issued("One");
        Invoice draft = draftWithLines("EUR", line("Two", "1", "10"));
        assertThatThrownBy(() -> in(tx -> {
            Invoice numbered = tx.attach(Invoices.class).issue(draft.id());
            assertThat(numbered.number()).isEqualTo("INV-2026-000002");
            throw new IllegalStateException("the PDF service is down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(in(tx -> tx.attach(Invoices.class).get(draft.id())).status()).isEqualTo(InvoiceStatus.DRAFT);
        Invoice second = in(tx -> tx.attach(Invoices.class).issue(draft.id()));
        assertThat(List.of(first.number(), second.number())).containsExactly("INV-2026-000001", "INV-2026-000002");
        assertThat(in(tx -> tx.attach(Invoices.class).gapReport("INV", 2026)).isComplete()).isTrue();
    }

    @Test
    void theGapReportFindsNumbersThatWentMissingBehindSentinelsBack() throws java.sql.SQLException {
        issued("One");
        issued("Two");
        // A counter moved forward behind Sentinel's back, by the owner (the application role cannot write
        // counters: kernel V14): numbers 3 and 4 are never issued.
        moveCounter("last_value + 2");
        Invoice fifth = issued("Five");
        assertThat(fifth.number()).isEqualTo("INV-2026-000005");
        assertThat(gaps("INV", 2026))
                .isEqualTo(new GapReport("INV", 2026, 5, 3, List.of(3, 4), List.of()));

        // A counter moved back: the issued numbers 2..5 now lie beyond it.
        moveCounter("1");
        GapReport moved = in(tx -> tx.attach(Invoices.class).gapReport("INV", 2026));
        assertThat(moved.isComplete()).isFalse();
        assertThat(moved.beyondCounter()).containsExactly(2, 5);
        assertThat(gaps("INV", 2031)).isEqualTo(new GapReport("INV", 2031, 0, 0, List.of(), List.of()));
    }

    /**
     * The owner moves the counter by hand. On a Citus coordinator V22's trigger lets a counter move
     * only by one, for the owner too, so there the owner turns triggers off for the transaction
     * ({@code session_replication_role}, which it may set: the tenant purge's privilege).
     */
    private void moveCounter(String value) throws java.sql.SQLException {
        boolean citus = dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource());
        dev.sentinel.core.support.RawScope.tenant(tenant).commit(db.ownerDataSource(), connection -> {
            if (citus) {
                connection.createStatement().execute("set local session_replication_role = replica");
            }
            return dev.sentinel.core.support.Sql.update(connection, "update sentinel.number_counters set last_value = " + value
                    + " where tenant_id = ? and series = 'agency.invoices:INV' and period = '2026'", tenant);
        });
    }

    // --------------------------------------------------------------------------- credit notes

    @Test
    void aCreditNoteCopiesTheLinesHasItsOwnSeriesAndCannotCreditMoreThanTheInvoice() {
        Invoice invoice = in(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(client, "EUR");
            tx.attach(Invoices.class).addItem(draft.id(), line("Design", "10", "95.00").withTaxRate(new BigDecimal("19")));
            tx.attach(Invoices.class).addItem(draft.id(), line("Hosting", "1", "20.00").withTaxRate(new BigDecimal("19")));
            return tx.attach(Invoices.class).issue(draft.id());
        });
        Invoice note = in(tx -> tx.attach(Invoices.class).createCreditNote(invoice.id()));
        assertThat(note.kind()).isEqualTo(InvoiceKind.CREDIT_NOTE);
        assertThat(note.series()).isEqualTo("CR");
        assertThat(note.correctsInvoiceId()).isEqualTo(invoice.id());
        assertThat(note.items()).extracting(InvoiceItem::change).isEqualTo(invoice.items().stream().map(InvoiceItem::change).toList());
        assertThat(note.totals()).isEqualTo(invoice.totals());

        Invoice partial = in(tx -> {
            tx.attach(Invoices.class).removeItem(note.items().get(0).id());
            return tx.attach(Invoices.class).issue(note.id());
        });
        assertThat(partial.number()).isEqualTo("CR-2026-000001");
        assertThat(partial.totals().gross()).isEqualByComparingTo("23.80");

        Invoice tooMuch = in(tx -> tx.attach(Invoices.class).createCreditNote(invoice.id()));
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).issue(tooMuch.id()))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1130.50").hasMessageContaining("is left to credit");
        assertThat(issued("Next").number()).describedAs("invoices keep their own counter").isEqualTo("INV-2026-000002");

        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).createCreditNote(partial.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is a credit note");
        Invoice draft = draftWithLines("EUR", line("Draft", "1", "1"));
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).createCreditNote(draft.id())))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("draft");
    }

    @Test
    void aSeriesNumbersOneKindOfDocumentOnly() {
        issued("One");
        Invoice invoice = issued("Two");
        in(tx -> tx.attach(Invoices.class).createCreditNote(invoice.id()));
        List<String> before = BillingFixture.fingerprint(sentinel);

        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).createDraft(NewInvoice.of(client, "EUR").withSeries("CR"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("series CR does not number invoices");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).createCreditNote(invoice.id(), "INV")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("series INV does not number credit notes");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).configureSeries("INV", InvoiceKind.CREDIT_NOTE, "{yyyy}-{0000}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("keeps its kind");
        assertRefusedBySql("invoices_series_fkey", "insert into agency.invoices (tenant_id, id, client_id, currency, series,"
                + " kind, corrects_invoice_id) values (?, gen_random_uuid(), ?, 'EUR', 'INV', 'credit_note', ?)",
                tenant, client, invoice.id());
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
        // Raw SQL names an existing series (the API creates one on first use): an unknown series is refused.
        assertRefusedBySql("invoices_series_fkey", "insert into agency.invoices (tenant_id, id, client_id, currency, series)"
                + " values (?, gen_random_uuid(), ?, 'EUR', 'RAW')", tenant, client);
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ states and immutability

    @Test
    void anIssuedInvoiceMovesOnlyToPaidOrVoid() {
        Invoice paid = in(tx -> tx.attach(Invoices.class).markPaid(issued("Paid").id(), Instant.parse("2026-03-10T12:00:00Z")));
        assertThat(paid.status()).isEqualTo(InvoiceStatus.PAID);
        assertThat(paid.paidAt()).isEqualTo(Instant.parse("2026-03-10T12:00:00Z"));
        assertThat(reread(paid)).isEqualTo(paid);

        Invoice voided = in(tx -> tx.attach(Invoices.class).voidInvoice(issued("Void").id(), "sent to the wrong client"));
        assertThat(voided.status()).isEqualTo(InvoiceStatus.VOID);
        assertThat(voided.voidReason()).isEqualTo("sent to the wrong client");
        assertThat(reread(voided)).isEqualTo(voided);
        assertThat(in(tx -> tx.attach(Invoices.class).gapReport("INV", 2026)).isComplete())
                .describedAs("a void invoice keeps its number: no gap").isTrue();

        Invoice draft = draftWithLines("EUR", line("Draft", "1", "1"));
        List<String> before = BillingFixture.fingerprint(sentinel);
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).voidInvoice(paid.id(), "refund")))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is paid");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).markPaid(voided.id(), MARCH_2026)))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is void");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).markPaid(draft.id(), MARCH_2026)))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("is draft");
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);

        // Raw SQL gets no further.
        assertRefusedBySql("invoices_status_transition", "update agency.invoices set status = 'issued', paid_at = null"
                + " where tenant_id = ? and id = ?", tenant, paid.id());
        assertRefusedBySql("invoices_status_transition", "update agency.invoices set status = 'paid', paid_at = now()"
                + " where tenant_id = ? and id = ?", tenant, draft.id());
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }

    @Test
    void anIssuedInvoiceAndItsLinesCannotBeEditedThroughTheApi() {
        Invoice invoice = issued("Design work");
        UUID lineId = invoice.items().get(0).id();
        List<String> before = BillingFixture.fingerprint(sentinel);

        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).addItem(invoice.id(), line("Extra", "1", "1"))))
                .isInstanceOf(InvalidStateTransitionException.class).hasMessageContaining("INV-2026-000001 is issued");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).changeItem(lineId, change(line("Cheaper", "1", "1")))))
                .isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> in(tx -> {
            tx.attach(Invoices.class).removeItem(lineId);
            return null;
        })).isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).updateDraft(invoice.id(), invoice.change().withDueOn(LocalDate.of(2026, 4, 1)))))
                .isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> in(tx -> {
            tx.attach(Invoices.class).deleteDraft(invoice.id(), "oops");
            return null;
        })).isInstanceOf(InvalidStateTransitionException.class);
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }

    @Test
    void anIssuedInvoiceAndItsLinesCannotBeEditedThroughRawSql() {
        Invoice invoice = issued("Design work");
        Invoice paid = in(tx -> tx.attach(Invoices.class).markPaid(issued("Paid").id(), MARCH_2026));
        UUID lineId = invoice.items().get(0).id();
        List<String> before = BillingFixture.fingerprint(sentinel);

        String byId = " where tenant_id = ? and id = ?";
        assertRefusedBySql("invoices_issued_immutable", "update agency.invoices set number = 'INV-2026-999999'" + byId, tenant, invoice.id());
        assertRefusedBySql("invoices_issued_immutable", "update agency.invoices set net_total = 1, gross_total = 1 + tax_total" + byId,
                tenant, invoice.id());
        assertRefusedBySql("invoices_issued_immutable", "update agency.invoices set notes = 'changed'" + byId, tenant, invoice.id());
        assertRefusedBySql("invoices_issued_immutable", "update agency.invoices set paid_at = now()" + byId, tenant, paid.id());
        assertRefusedBySql("invoices_issued_immutable", "update agency.invoices set status = 'void', voided_at = now(),"
                + " notes = 'and something else'" + byId, tenant, invoice.id());
        assertRefusedBySql("invoices_issued_immutable", "delete from agency.invoices" + byId, tenant, invoice.id());
        assertRefusedBySql("invoice_items_issued_immutable", "update agency.invoice_items set unit_price = 0, line_total = 0" + byId,
                tenant, lineId);
        assertRefusedBySql("invoice_items_issued_immutable", "delete from agency.invoice_items" + byId, tenant, lineId);
        assertRefusedBySql("invoice_items_issued_immutable", "insert into agency.invoice_items (tenant_id, id, invoice_id, position,"
                + " description, quantity, unit_price, line_total) values (?, gen_random_uuid(), ?, 9, 'Extra', 1, 1, 1)",
                tenant, invoice.id());
        // Moving a line from a draft into an issued invoice is adding a line to it.
        Invoice draft = draftWithLines("EUR", line("Draft line", "1", "1"));
        before = BillingFixture.fingerprint(sentinel);
        assertRefusedBySql("invoice_items_issued_immutable", "update agency.invoice_items set invoice_id = ?, position = 9" + byId,
                invoice.id(), tenant, draft.items().get(0).id());
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);

        // A no-op update of an issued invoice changes nothing and is allowed.
        in(tx -> tx.dsl().execute("update agency.invoices set notes = notes" + byId, tenant, invoice.id()));
        assertThat(in(tx -> tx.attach(Invoices.class).get(invoice.id())).number()).isEqualTo(invoice.number());
    }

    private void assertRefusedBySql(String constraint, String sql, Object... bindings) {
        assertThatThrownBy(() -> in(tx -> tx.dsl().execute(sql, bindings)))
                .describedAs(sql)
                .isInstanceOf(ConstraintViolationException.class)
                .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                        .isEqualTo(AgencyDatabase.relayedConstraint(db, constraint)));
    }

    @Test
    void everyStateChangeLeavesAnAuditRow() {
        Invoice draft = draftWithLines("EUR", line("Design", "1", "100"));
        Invoice issued = in(tx -> tx.attach(Invoices.class).issue(draft.id()));
        in(tx -> tx.attach(Invoices.class).markPaid(issued.id(), MARCH_2026));
        Invoice voided = in(tx -> tx.attach(Invoices.class).voidInvoice(issued("To void").id(), "duplicate"));
        Invoice deleted = draftWithLines("EUR", line("Unwanted", "1", "1"));
        in(tx -> {
            tx.attach(Invoices.class).deleteDraft(deleted.id(), "not needed");
            return null;
        });

        List<AuditEntry> trail = audit("agency.invoices", draft.id());
        assertThat(trail).extracting(AuditEntry::action).containsExactly("insert", "update", "update");
        assertThat(trail.get(1).diff()).contains("\"status\": {\"new\": \"issued\", \"old\": \"draft\"}")
                .contains("\"number\": {\"new\": \"INV-2026-000001\", \"old\": null}");
        assertThat(trail.get(2).diff()).contains("\"status\": {\"new\": \"paid\", \"old\": \"issued\"}");
        assertThat(trail).allSatisfy(entry -> assertThat(entry.actorLabel()).isEqualTo("billing"));
        assertThat(audit("agency.invoices", voided.id()).getLast().diff()).contains("\"status\": {\"new\": \"void\", \"old\": \"issued\"}");
        assertThat(audit("agency.invoices", deleted.id()).getLast().action()).isEqualTo("soft_delete");
        assertThat(audit("agency.invoice_items", draft.items().get(0).id())).extracting(AuditEntry::action).containsExactly("insert");
        assertThat(audit("agency.clients", client)).extracting(AuditEntry::action).containsExactly("insert");
    }

    // ---------------------------------------------------------------------- concurrent edits

    /**
     * Waits until a session of this test's database waits for a lock (the other transaction's row
     * lock). On a Citus coordinator the wait is on the worker holding the tenant's shard, which
     * {@code citus_stat_activity} shows with every node's sessions.
     */
    private void awaitLockWait() throws InterruptedException {
        String activity = dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource()) ? "citus_stat_activity"
                : "pg_stat_activity";
        for (int i = 0; i < 6000; i++) {
            long waiting = this.<Long>in(tx -> tx.dsl().fetchOne("select count(*) from " + activity
                    + " where wait_event_type = 'Lock' and datname = current_database()").get(0, Long.class));
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no session ever waited for the other transaction's lock");
    }

    /**
     * Waits until the other transaction reached {@code step}; if it ended first (it failed), fails
     * with its error rather than waiting forever.
     */
    private static void awaitStep(java.util.concurrent.CountDownLatch step, java.util.concurrent.Future<?> other) throws Exception {
        while (!step.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (other.isDone()) {
                other.get();
                throw new AssertionError("the other transaction ended before it reached the step");
            }
        }
    }

    @Test
    void aLineAddedWhileTheInvoiceIsBeingIssuedWaitsAndIsRefused() throws Exception {
        Invoice draft = draftWithLines("EUR", line("Design", "1", "100"));
        java.util.concurrent.CountDownLatch issuedNotCommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Invoice> issuing = other.submit(() -> sentinel.tenant(tenant, CLERK).inTransaction(tx -> {
                Invoice issued = tx.attach(Invoices.class).issue(draft.id());
                issuedNotCommitted.countDown();
                release.await();
                return issued;
            }));
            awaitStep(issuedNotCommitted, issuing);
            java.util.concurrent.Future<?> adding = java.util.concurrent.ForkJoinPool.commonPool().submit(() ->
                    in(tx -> tx.attach(Invoices.class).addItem(draft.id(), line("Late", "1", "5"))));
            awaitLockWait();
            release.countDown();
            assertThat(issuing.get().number()).isEqualTo("INV-2026-000001");
            assertThatThrownBy(adding::get).hasCauseInstanceOf(InvalidStateTransitionException.class)
                    .hasMessageContaining("INV-2026-000001 is issued");
        } finally {
            other.shutdownNow();
        }
        assertThat(reread(draft).items()).hasSize(1);
    }

    @Test
    void anIssueThatWaitedForALineBeingAddedIsRetriedAndIncludesIt() throws Exception {
        Invoice draft = draftWithLines("EUR", line("Design", "1", "100"));
        java.util.concurrent.CountDownLatch addedNotCommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        AtomicInteger attempts = new AtomicInteger();
        try {
            java.util.concurrent.Future<?> adding = other.submit(() -> sentinel.tenant(tenant, CLERK).inTransaction(tx -> {
                InvoiceItem added = tx.attach(Invoices.class).addItem(draft.id(), line("Late", "1", "5"));
                addedNotCommitted.countDown();
                release.await();
                return added;
            }));
            awaitStep(addedNotCommitted, adding);
            java.util.concurrent.Future<Invoice> issuing = java.util.concurrent.ForkJoinPool.commonPool().submit(() ->
                    sentinel.tenant(tenant, CLERK).with(dev.sentinel.core.TxOptions.defaults().withRetries(2))
                            .inTransaction(tx -> {
                                attempts.incrementAndGet();
                                return tx.attach(Invoices.class).issue(draft.id());
                            }));
            awaitLockWait();
            release.countDown();
            adding.get();
            Invoice issued = issuing.get();
            // The first attempt read the lines as they were before it got the lock; the trigger saw the
            // committed line, the number was not allocated, and the retry issued both lines.
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(issued.items()).hasSize(2);
            assertThat(issued.totals().net()).isEqualByComparingTo("105.00");
            assertThat(issued.number()).isEqualTo("INV-2026-000001");
        } finally {
            other.shutdownNow();
        }
        assertThat(gaps("INV", 2026).isComplete()).isTrue();
    }

    // ------------------------------------------------------------------------------ bad input

    @Test
    void badInputGivesATypedErrorAndWritesNothingEvenWhenTheCallerCarriesOn() {
        Invoice empty = in(tx -> tx.attach(Invoices.class).createDraft(client, "EUR"));
        Invoice issued = issued("Issued");
        Invoice negative = draftWithLines("EUR", line("Refund", "1", "-10"));
        UUID stranger = Tenants.create(sentinel);
        List<String> before = BillingFixture.fingerprint(sentinel);

        record Case(String name, Class<? extends RuntimeException> type, String message, Runnable call) {
        }
        List<Case> cases = List.of(
                new Case("negative quantity", InvalidInputException.class, "quantity must be greater than 0",
                        () -> line("Design", "-1", "10")),
                new Case("zero quantity", InvalidInputException.class, "quantity must be greater than 0",
                        () -> line("Design", "0", "10")),
                new Case("too many decimals", InvalidInputException.class, "more than 3 decimals",
                        () -> line("Design", "1.0001", "10")),
                new Case("tax rate above 100", InvalidInputException.class, "tax rate",
                        () -> line("Design", "1", "10").withTaxRate(new BigDecimal("101"))),
                new Case("unknown currency", InvalidInputException.class, "'XYZ' is not an ISO 4217 currency",
                        () -> NewInvoice.of(client, "XYZ")),
                new Case("lower-case currency", InvalidInputException.class, "upper-case",
                        () -> NewInvoice.of(client, "eur")),
                new Case("currency without minor unit", InvalidInputException.class, "no minor unit",
                        () -> NewInvoice.of(client, "XAU")),
                new Case("blank client name", InvalidInputException.class, "name", () -> NewClient.of(" ")),
                new Case("empty draft", InvalidInputException.class, "has no lines",
                        () -> sentinel.tenant(tenant, CLERK).useTransaction(tx -> tx.attach(Invoices.class).issue(empty.id()))),
                new Case("issuing twice", InvalidStateTransitionException.class, "issued already",
                        () -> sentinel.tenant(tenant, CLERK).useTransaction(tx -> tx.attach(Invoices.class).issue(issued.id()))),
                new Case("negative total", InvalidInputException.class, "must total more than 0",
                        () -> sentinel.tenant(tenant, CLERK).useTransaction(tx -> tx.attach(Invoices.class).issue(negative.id()))),
                new Case("unknown draft", NotFoundException.class, "no invoice",
                        () -> sentinel.tenant(tenant, CLERK).useTransaction(tx -> tx.attach(Invoices.class).issue(UUID.randomUUID()))),
                new Case("unknown client", NotFoundException.class, "no live client",
                        () -> sentinel.tenant(tenant, CLERK).useTransaction(tx -> tx.attach(Invoices.class).createDraft(UUID.randomUUID(), "EUR"))),
                new Case("another tenant's draft", NotFoundException.class, "no invoice",
                        () -> sentinel.tenant(stranger, CLERK).useTransaction(tx -> tx.attach(Invoices.class).issue(empty.id()))),
                new Case("system scope", MissingScopeException.class, "tenant scope",
                        () -> sentinel.system(CLERK).useTransaction(tx -> tx.attach(Invoices.class).createDraft(client, "EUR"))));
        for (Case c : cases) {
            assertThatThrownBy(c.call()::run).describedAs(c.name()).isInstanceOf(c.type()).hasMessageContaining(c.message());
        }
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);

        // Refused before any statement: a caller that catches the error and commits writes only its own work.
        sentinel.tenant(tenant, CLERK).useTransaction(tx -> {
            assertThatThrownBy(() -> tx.attach(Invoices.class).issue(empty.id())).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> tx.attach(Invoices.class).issue(issued.id())).isInstanceOf(InvalidStateTransitionException.class);
            assertThatThrownBy(() -> tx.attach(Invoices.class).addItem(empty.id(), "X", new BigDecimal("-1"), BigDecimal.ONE))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> tx.attach(Invoices.class).createDraft(client, "ABC")).isInstanceOf(InvalidInputException.class);
        });
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
        assertThat(gaps("INV", 2026))
                .isEqualTo(new GapReport("INV", 2026, 1, 1, List.of(), List.of()));
    }

    // ---------------------------------------------------------------------- drafts and clients

    @Test
    void aDraftsClientDatesAndCurrencyCanChangeAndAnotherScaleRecomputesTheLines() {
        UUID other = in(tx -> tx.attach(Clients.class).create(NewClient.of("Globex KK").withCurrency("JPY"))).id();
        Invoice draft = draftWithLines("EUR", line("Licence", "1.5", "99.50"));
        assertThat(draft.items().get(0).lineTotal()).isEqualByComparingTo("149.25");

        Invoice changed = in(tx -> tx.attach(Invoices.class).updateDraft(draft.id(), draft.change().withClient(other).withCurrency("JPY")
                .withDueOn(LocalDate.of(2026, 4, 1)).withNotes("Net 30")));
        assertThat(changed.clientId()).isEqualTo(other);
        assertThat(changed.dueOn()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(changed.items().get(0).lineTotal()).describedAs("1.5 x 99.50 = 149.25, rounded half up to yen")
                .isEqualByComparingTo("149");
        assertThat(changed.totals().gross()).isEqualByComparingTo("149");
        assertThat(changed.version()).isEqualTo(draft.version() + 1);

        InvoiceItem changedLine = in(tx -> tx.attach(Invoices.class).changeItem(draft.items().get(0).id(),
                draft.items().get(0).change().withQuantity(new BigDecimal("2")).withUnitPrice(new BigDecimal("100"))));
        assertThat(changedLine.lineTotal()).isEqualByComparingTo("200");
        InvoiceItem second = in(tx -> tx.attach(Invoices.class).addItem(draft.id(), line("Support", "1", "50")));
        assertThat(second.position()).isEqualTo(2);
    }

    @Test
    void clientsAreCreatedUpdatedAndSoftDeletedAndADeletedClientCannotBeInvoiced() {
        Invoice draft = draftWithLines("EUR", line("Design", "1", "100"));
        Client renamed = in(tx -> tx.attach(Clients.class).update(client,
                tx.attach(Clients.class).find(client).orElseThrow().change().withName("Acme AG").withTaxId("DE123456789")));
        assertThat(renamed.name()).isEqualTo("Acme AG");
        assertThat(renamed.taxId()).isEqualTo("DE123456789");
        Client deleted = in(tx -> tx.attach(Clients.class).delete(client, "merged into Acme Holding"));
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(this.<java.util.Optional<Client>>in(tx -> tx.attach(Clients.class).find(client))).isEmpty();

        List<String> before = BillingFixture.fingerprint(sentinel);
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).createDraft(client, "EUR"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no live client");
        assertThatThrownBy(() -> in(tx -> tx.attach(Invoices.class).issue(draft.id()))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("was deleted");
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------ ledger

    @Test
    void paymentsAndRefundsAreBookedInTheInvoicesCurrencyAndNeverEdited() {
        Invoice invoice = issued("Design work");
        LedgerEntry payment = in(tx -> tx.attach(Ledger.class).record(NewLedgerEntry.payment(invoice.id(),
                new BigDecimal("119.00"), "EUR", Instant.parse("2026-03-05T08:00:00Z"), "pi_123")));
        LedgerEntry refund = in(tx -> tx.attach(Ledger.class).record(NewLedgerEntry.refund(invoice.id(),
                new BigDecimal("19.5"), "EUR", Instant.parse("2026-03-06T08:00:00Z"), null).withDescription("goodwill")));
        assertThat(this.<List<LedgerEntry>>in(tx -> tx.attach(Ledger.class).entries(invoice.id()))).containsExactly(payment, refund);
        assertThat(refund.amount()).isEqualTo(new BigDecimal("19.50"));
        assertThat(audit("agency.ledger_entries", payment.id())).extracting(AuditEntry::action).containsExactly("insert");

        Invoice draft = draftWithLines("EUR", line("Draft", "1", "1"));
        List<String> before = BillingFixture.fingerprint(sentinel);
        assertThatThrownBy(() -> in(tx -> tx.attach(Ledger.class).record(NewLedgerEntry.payment(invoice.id(),
                BigDecimal.TEN, "USD", MARCH_2026, null)))).isInstanceOf(InvalidInputException.class).hasMessageContaining("USD");
        assertThatThrownBy(() -> in(tx -> tx.attach(Ledger.class).record(NewLedgerEntry.payment(draft.id(),
                BigDecimal.TEN, "EUR", MARCH_2026, null)))).isInstanceOf(InvalidStateTransitionException.class);
        assertThatThrownBy(() -> NewLedgerEntry.payment(invoice.id(), new BigDecimal("1.5"), "JPY", MARCH_2026, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than 0 decimals");
        assertThatThrownBy(() -> NewLedgerEntry.payment(invoice.id(), new BigDecimal("-1"), "EUR", MARCH_2026, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("greater than 0");
        assertRefusedBySql("ledger_entries_append_only", "update agency.ledger_entries set amount = 1 where tenant_id = ? and id = ?",
                tenant, payment.id());
        assertRefusedBySql("ledger_entries_append_only", "delete from agency.ledger_entries where tenant_id = ? and id = ?",
                tenant, payment.id());
        assertThat(BillingFixture.fingerprint(sentinel)).isEqualTo(before);
    }

    // --------------------------------------------------------------------------- time zones

    @Test
    void aTenantsTimeZoneMustBeOneThatPostgresqlAndJavaBothKnow() {
        UUID kolkata = BillingFixture.tenant(sentinel, "Asia/Kolkata");
        assertThat(kolkata).isNotNull();
        for (String zone : List.of("Mars/Olympus_Mons", "EST", "posixrules", "UTC+5", "")) {
            assertThatThrownBy(() -> BillingFixture.tenant(sentinel, zone)).describedAs(zone)
                    .isInstanceOf(ConstraintViolationException.class)
                    .satisfies(e -> assertThat(((ConstraintViolationException) e).constraint())
                            .isEqualTo(AgencyDatabase.relayedConstraint(db, "tenants_time_zone_check")));
        }
        assertThatThrownBy(() -> sentinel.system(Tenants.SETUP).useTransaction(tx ->
                tx.table(TENANTS).update(tx.table(TENANTS).get(kolkata).setTimeZone("Asia/Calcutta ")))).isInstanceOf(
                ConstraintViolationException.class);
    }
}
