package dev.sentinel.agency.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.TappedConnection;
import dev.sentinel.testing.SentinelDatabase;
import dev.sentinel.testing.WireTap;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An invoice is read with its lines in one statement (a MULTISET), not one per line, and issuing
 * costs two statements however many lines the invoice has: counted on the wire.
 */
class InvoiceRoundTripTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final Actor SERVICE = Actor.service("billing");

    private static TappedConnection connection;
    private static WireTap tap;
    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID client;

    @BeforeAll
    static void start() throws Exception {
        connection = TappedConnection.open(db);
        tap = connection.tap();
        sentinel = Sentinel.builder().module(Agency.module()).dataSource(connection.dataSource()).systemDataSource(db.systemDataSource()).clock(new BillingFixture.MovableClock(Instant.parse("2026-09-01T08:00:00Z")))
                .build();
        tenant = BillingFixture.tenant(sentinel, "Europe/Paris");
        client = sentinel.tenant(tenant, SERVICE).inTransaction(tx -> tx.attach(Clients.class).create(NewClient.of("Client")).id());
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
    }

    private static UUID draftWithLines(int lines) {
        return sentinel.tenant(tenant, SERVICE).inTransaction(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(client, "EUR");
            for (int i = 1; i <= lines; i++) {
                tx.attach(Invoices.class).addItem(draft.id(), "Line " + i, BigDecimal.valueOf(i), new BigDecimal("9.99"));
            }
            return draft.id();
        });
    }

    /** The round trips of one transaction doing {@code work} on the invoice, after the setup. */
    /**
     * The round trip that carries the first statement: the first, with the settings, or on Citus
     * (whose settings are SET LOCAL statements with their values written in, sent alone) the second.
     */
    private static List<String> readTrip(List<List<String>> trips, int expected) {
        boolean citus = dev.sentinel.core.internal.ClusterCheck.isCitus(db.adminDataSource());
        assertThat(trips).describedAs("round trips (on Citus the settings go alone): %s", trips).hasSize(citus ? expected + 1 : expected);
        return trips.get(citus ? 1 : 0);
    }

    private static List<List<String>> tripsOf(java.util.function.Consumer<Invoices> work) {
        tap.reset();
        sentinel.tenant(tenant, SERVICE).useTransaction(tx -> work.accept(tx.attach(Invoices.class)));
        return tap.roundTrips();
    }

    @Test
    void anInvoiceWithItsLinesIsOneStatementWhateverTheNumberOfLines() {
        for (int lines : new int[] {1, 25}) {
            UUID id = draftWithLines(lines);
            Invoice[] read = new Invoice[1];
            List<List<String>> trips = tripsOf(invoices -> read[0] = invoices.get(id));

            assertThat(read[0].items()).hasSize(lines);
            List<String> first = readTrip(trips, 2);
            assertThat(first).describedAs("one statement, after the setup's")
                    .filteredOn(statement -> statement.contains("\"agency\".\"invoice_items\"")).singleElement()
                    .isEqualTo(first.get(first.size() - 1)).asString()
                    .contains("from \"agency\".\"invoices\"");
        }
    }

    @Test
    void issuingIsALockingReadAndOneStatementThatNumbersTheInvoice() {
        for (int lines : new int[] {1, 25}) {
            UUID id = draftWithLines(lines);
            List<List<String>> trips = tripsOf(invoices -> invoices.issue(id));

            List<String> first = readTrip(trips, 3);
            assertThat(first).last().asString().contains("for no key update");
            assertThat(trips.get(trips.indexOf(first) + 1)).singleElement().asString().contains("sentinel.next_number(")
                    .contains("update agency.invoices");
        }
    }
}
