package dev.sentinel.agency.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jooq.Record3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Totals against hand-computed cases: each line rounded half up to the currency's scale, tax per
 * rate on the sum of that rate's lines, rounded once. Every case goes through the database: the
 * draft's lines are stored and read back, the invoice is issued, and the frozen totals are read
 * back, both through the API and as the stored columns.
 */
class InvoiceTotalsTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static Sentinel sentinel;
    private static UUID tenant;
    private static UUID client;

    @BeforeAll
    static void start() {
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(2)
                .clock(new BillingFixture.MovableClock(Instant.parse("2026-06-15T12:00:00Z"))).build();
        tenant = BillingFixture.tenant(sentinel, "Europe/Vienna");
        client = sentinel.tenant(tenant, Actor.service("billing")).inTransaction(tx ->
                tx.attach(Clients.class).create(NewClient.of("Totals AG")).id());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** One line: quantity, unit price, tax rate, and the line total worked out by hand. */
    record Line(String quantity, String unitPrice, String taxRate, String expectedTotal) {
    }

    private static Line line(String quantity, String unitPrice, String taxRate, String expectedTotal) {
        return new Line(quantity, unitPrice, taxRate, expectedTotal);
    }

    /** Issues the lines and checks line totals, net, tax and gross, and that the draft showed the same. */
    private static void check(String currency, List<Line> lines, String net, String tax, String gross) {
        Invoice[] draftAndIssued = sentinel.tenant(tenant, Actor.service("billing")).inTransaction(tx -> {
            Invoice draft = tx.attach(Invoices.class).createDraft(client, currency);
            for (Line line : lines) {
                tx.attach(Invoices.class).addItem(draft.id(), NewInvoiceItem.of("Line", new BigDecimal(line.quantity()),
                        new BigDecimal(line.unitPrice())).withTaxRate(new BigDecimal(line.taxRate())));
            }
            Invoice reread = tx.attach(Invoices.class).get(draft.id());
            return new Invoice[] {reread, tx.attach(Invoices.class).issue(draft.id())};
        });
        Invoice draft = draftAndIssued[0];
        Invoice issued = sentinel.tenant(tenant, Actor.service("billing")).inTransaction(tx -> tx.attach(Invoices.class).get(draftAndIssued[1].id()));

        assertThat(draft.items()).extracting(item -> item.lineTotal().toPlainString())
                .describedAs("line totals of %s %s", currency, lines)
                .containsExactlyElementsOf(lines.stream().map(Line::expectedTotal).toList());
        for (int i = 0; i < lines.size(); i++) {
            InvoiceItem read = draft.items().get(i);
            assertThat(read.quantity()).describedAs("quantity read back exactly").isEqualByComparingTo(lines.get(i).quantity());
            assertThat(read.unitPrice()).describedAs("unit price read back exactly").isEqualByComparingTo(lines.get(i).unitPrice());
        }
        for (Invoice invoice : List.of(draft, draftAndIssued[1], issued)) {
            assertThat(Arrays.asList(invoice.totals().net().toPlainString(), invoice.totals().tax().toPlainString(),
                    invoice.totals().gross().toPlainString()))
                    .describedAs("net, tax, gross of %s (%s) %s", invoice.status(), currency, lines)
                    .containsExactly(net, tax, gross);
        }
        Record3<BigDecimal, BigDecimal, BigDecimal> stored = sentinel.tenant(tenant, Actor.service("billing")).inTransaction(tx ->
                tx.dsl().select(dev.sentinel.agency.db.Tables.INVOICES.NET_TOTAL, dev.sentinel.agency.db.Tables.INVOICES.TAX_TOTAL,
                        dev.sentinel.agency.db.Tables.INVOICES.GROSS_TOTAL).from(dev.sentinel.agency.db.Tables.INVOICES)
                        .where(dev.sentinel.agency.db.Tables.INVOICES.ID.eq(issued.id())).fetchOne());
        assertThat(stored.value1()).isEqualByComparingTo(net);
        assertThat(stored.value2()).isEqualByComparingTo(tax);
        assertThat(stored.value3()).isEqualByComparingTo(gross);
    }

    @Test
    void aTieRoundsHalfUpNotToEven() {
        // 3 x 0.335 = 1.005 -> 1.01 (half even would give 1.00); tax 19 % of 1.01 = 0.1919 -> 0.19.
        check("EUR", List.of(line("3", "0.335", "19", "1.01")), "1.01", "0.19", "1.20");
        // 1 x 0.125 = 0.125 -> 0.13 (half even: 0.12); 1 x 0.135 -> 0.14 (half even: 0.14).
        check("EUR", List.of(line("1", "0.125", "0", "0.13"), line("1", "0.135", "0", "0.14")), "0.27", "0.00", "0.27");
    }

    @Test
    void aNegativeDiscountLineRoundsAwayFromZero() {
        // 1 x -0.125 = -0.125 -> -0.13; 10 x 1.00 = 10.00; net 9.87; 20 % of 9.87 = 1.974 -> 1.97.
        check("EUR", List.of(line("10", "1.00", "20", "10.00"), line("1", "-0.125", "20", "-0.13")), "9.87", "1.97", "11.84");
    }

    @Test
    void taxIsRoundedOncePerRateNotPerLine() {
        // Three lines of 1.10 at 7 %: per line 0.077 -> 0.08, three times 0.24; per rate 3.30 x 7 % = 0.231 -> 0.23.
        check("EUR", List.of(line("1", "1.10", "7", "1.10"), line("1", "1.10", "7", "1.10"), line("1", "1.10", "7.00", "1.10")),
                "3.30", "0.23", "3.53");
        // Two rates and a tax-free line: 19 % of 12.35 = 2.3465 -> 2.35; 7 % of 2.45 = 0.1715 -> 0.17.
        check("EUR", List.of(line("1", "12.345", "19", "12.35"), line("0.5", "4.90", "7", "2.45"), line("2", "0.50", "0", "1.00")),
                "15.80", "2.52", "18.32");
    }

    @Test
    void yenHaveNoDecimals() {
        // 1.5 x 99 = 148.5 -> 149; 3 x 333.333333 = 999.999999 -> 1000; 10 % of 1149 = 114.9 -> 115.
        check("JPY", List.of(line("1.5", "99", "10", "149"), line("3", "333.333333", "10", "1000")), "1149", "115", "1264");
        // 0.5 x 5 = 2.5 -> 3 (a tie, half up); 8 % of 3 = 0.24 -> 0.
        check("JPY", List.of(line("0.5", "5", "8", "3")), "3", "0", "3");
    }

    @Test
    void threeAndFourDecimalCurrencies() {
        // Bahraini dinar, 3 decimals: 2 x 1.2345 = 2.469; 1 x 0.0005 = 0.0005 -> 0.001; 10 % of 2.470 = 0.247.
        check("BHD", List.of(line("2", "1.2345", "10", "2.469"), line("1", "0.0005", "10", "0.001")), "2.470", "0.247", "2.717");
        // Chilean Unidad de Fomento, 4 decimals: 3 x 0.123456 = 0.370368 -> 0.3704.
        check("CLF", List.of(line("3", "0.123456", "0", "0.3704")), "0.3704", "0.0000", "0.3704");
    }

    @Test
    void extremesOfTheColumnsStayExact() {
        // 999999999.999 x 0.000001 = 999.999999999 -> 1000.00; 2.5 % of 1000.00 = 25.00.
        check("EUR", List.of(line("999999999.999", "0.000001", "2.5", "1000.00")), "1000.00", "25.00", "1025.00");
        // The largest unit price at 7.7 %: 999999999999.99 x 0.077 = 76999999999.99923 -> 77000000000.00.
        check("CHF", List.of(line("1", "999999999999.99", "7.7", "999999999999.99")), "999999999999.99", "77000000000.00",
                "1076999999999.99");
    }
}
