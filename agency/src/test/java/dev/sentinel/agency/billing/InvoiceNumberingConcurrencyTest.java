package dev.sentinel.agency.billing;

import static dev.sentinel.agency.db.Tables.INVOICES;
import static dev.sentinel.core.db.Tables.NUMBER_COUNTERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.db.enums.InvoiceKind;
import dev.sentinel.agency.db.enums.InvoiceStatus;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.Record5;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gap-free numbering under contention: 32 threads issue invoices (series INV) and credit notes
 * (series CR) for three tenants in non-UTC time zones, with issue times within two hours either
 * side of each tenant's New Year, so every tenant fills four counters (two series, 2026 and 2027)
 * at once; a sixth of the transactions roll back on purpose after the number was allocated.
 * Afterwards every (tenant, series, year) holds exactly 1..n, without duplicate or gap, n equals
 * the counter and the number of committed documents, each number is in its year, and the gap
 * report is complete.
 */
class InvoiceNumberingConcurrencyTest {

    @RegisterExtension
    static final SentinelDatabase db = AgencyDatabase.create();

    private static final int THREADS = 32;
    private static final int TRANSACTIONS = 2_000;
    private static final Actor SERVICE = Actor.service("billing");
    /** Auckland is UTC+13 at New Year, St. John's UTC-3:30, Kathmandu UTC+5:45: none of them UTC or the JVM's zone. */
    private static final List<String> ZONES = List.of("Pacific/Auckland", "America/St_Johns", "Asia/Kathmandu");

    private static Sentinel sentinel;
    private static BillingFixture.MovableClock clock;
    private static final List<TenantUnderTest> tenants = new ArrayList<>();

    /** A tenant, its client, its New Year instant, and its committed invoices (to credit). */
    private record TenantUnderTest(UUID id, UUID client, Instant newYear, List<UUID> invoices) {
    }

    /** A document whose transaction committed, and the year its issue time falls in, in the tenant's zone. */
    private record Committed(UUID tenant, UUID id, String series, int expectedYear) {
    }

    /** Thrown on purpose after issuing, to roll the transaction back. */
    private static final class DeliberateRollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliberateRollback() {
            super("rolled back on purpose after the number was allocated", null, false, false);
        }
    }

    @BeforeAll
    static void start() {
        clock = new BillingFixture.MovableClock(Instant.parse("2026-12-31T00:00:00Z"));
        sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(THREADS)
                .clock(clock).build();
        for (String zone : ZONES) {
            UUID tenant = BillingFixture.tenant(sentinel, zone);
            UUID client = sentinel.tenant(tenant, SERVICE).inTransaction(tx ->
                    tx.attach(Clients.class).create(NewClient.of("Client in " + zone)).id());
            Instant newYear = ZonedDateTime.of(LocalDate.of(2027, 1, 1), LocalTime.MIDNIGHT, ZoneId.of(zone)).toInstant();
            tenants.add(new TenantUnderTest(tenant, client, newYear, Collections.synchronizedList(new ArrayList<>())));
        }
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void thirtyTwoThreadsIssueGapFreeAcrossTenantsSeriesAndNewYearWithRollbacks() throws Exception {
        List<Committed> committed = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger rolledBack = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < TRANSACTIONS) {
                    one(committed, rolledBack);
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.MINUTES);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // What the database holds, per (tenant, series, year): the numbers, and the counter.
        Map<String, List<Integer>> numbers = new TreeMap<>();
        Map<String, Integer> counters = new TreeMap<>();
        Map<UUID, Integer> yearOf = new ConcurrentHashMap<>();
        for (TenantUnderTest tenant : tenants) {
            sentinel.tenant(tenant.id(), SERVICE).useTransaction(tx -> {
                for (Record5<UUID, String, Integer, Integer, String> row : tx.dsl()
                        .select(INVOICES.ID, INVOICES.SERIES, INVOICES.SEQUENCE_YEAR, INVOICES.SEQUENCE_NUMBER, INVOICES.NUMBER)
                        .from(INVOICES).where(INVOICES.TENANT_ID.eq(tenant.id()), INVOICES.STATUS.ne(InvoiceStatus.DRAFT)).fetch()) {
                    numbers.computeIfAbsent(key(tenant.id(), row.value2(), row.value3()), k -> new ArrayList<>()).add(row.value4());
                    yearOf.put(row.value1(), row.value3());
                    assertThat(row.value5()).isEqualTo("%s-%d-%06d".formatted(row.value2(), row.value3(), row.value4()));
                }
                tx.dsl().selectFrom(NUMBER_COUNTERS).where(NUMBER_COUNTERS.TENANT_ID.eq(tenant.id()),
                        NUMBER_COUNTERS.SERIES.startsWith("agency.invoices:")).forEach(counter ->
                        counters.put(key(tenant.id(), counter.getSeries().substring("agency.invoices:".length()),
                                Integer.parseInt(counter.getPeriod())), Math.toIntExact(counter.getLastValue())));
                int drafts = tx.dsl().fetchCount(INVOICES, INVOICES.TENANT_ID.eq(tenant.id()), INVOICES.STATUS.eq(InvoiceStatus.DRAFT));
                assertThat(drafts).describedAs("drafts of rolled-back transactions are gone").isZero();
            });
        }

        Set<String> expectedKeys = tenants.stream().flatMap(tenant -> Set.of("INV", "CR").stream()
                .flatMap(series -> Set.of(2026, 2027).stream().map(year -> key(tenant.id(), series, year))))
                .collect(Collectors.toSet());
        assertThat(numbers.keySet()).describedAs("every tenant issued in both series on both sides of New Year")
                .containsExactlyInAnyOrderElementsOf(expectedKeys);
        assertThat(counters.keySet()).containsExactlyInAnyOrderElementsOf(expectedKeys);
        Map<String, Long> committedPerKey = committed.stream()
                .collect(Collectors.groupingBy(c -> key(c.tenant(), c.series(), c.expectedYear()), Collectors.counting()));
        for (String key : expectedKeys) {
            List<Integer> sorted = numbers.get(key).stream().sorted().toList();
            assertThat(sorted).describedAs("numbers of %s: exactly 1..n", key)
                    .isEqualTo(IntStream.rangeClosed(1, sorted.size()).boxed().toList());
            assertThat(counters.get(key)).describedAs("counter of %s", key).isEqualTo(sorted.size());
            assertThat(committedPerKey.get(key)).describedAs("committed documents of %s", key).isEqualTo((long) sorted.size());
        }
        for (Committed document : committed) {
            assertThat(yearOf.get(document.id())).describedAs("the year of %s", document).isEqualTo(document.expectedYear());
        }
        assertThat(yearOf).hasSameSizeAs(committed);
        for (TenantUnderTest tenant : tenants) {
            for (String series : List.of("INV", "CR")) {
                for (int year : List.of(2026, 2027)) {
                    GapReport report = sentinel.tenant(tenant.id(), SERVICE).inTransaction(tx -> tx.attach(Invoices.class).gapReport(series, year));
                    assertThat(report.isComplete()).describedAs("%s", report).isTrue();
                    assertThat(report.issuedCount()).isEqualTo(report.lastNumber()).isPositive();
                }
            }
        }
        assertThat(rolledBack.get()).isGreaterThan(TRANSACTIONS / 10);
        System.out.printf("InvoiceNumberingConcurrencyTest: %d transactions on %d threads in %d ms: %d committed"
                + " (%d credit notes), %d rolled back after allocation; largest counter %d%n",
                TRANSACTIONS, THREADS, took.toMillis(), committed.size(),
                committed.stream().filter(c -> c.series().equals("CR")).count(), rolledBack.get(),
                counters.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    /** One transaction: an invoice (or, once the tenant has some, a credit note of 1.00) issued, maybe rolled back. */
    private static void one(List<Committed> committed, AtomicInteger rolledBack) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        TenantUnderTest tenant = tenants.get(random.nextInt(tenants.size()));
        Instant at = tenant.newYear().plusSeconds(random.nextLong(-7_200, 7_200));
        clock.setForThisThread(at);
        int expectedYear = at.isBefore(tenant.newYear()) ? 2026 : 2027;
        boolean rollBack = random.nextInt(6) == 0;
        UUID credited = null;
        if (random.nextInt(4) == 0 && !tenant.invoices().isEmpty()) {
            synchronized (tenant.invoices()) {
                credited = tenant.invoices().get(random.nextInt(tenant.invoices().size()));
            }
        }
        UUID toCredit = credited;
        try {
            Invoice issued = sentinel.tenant(tenant.id(), SERVICE).inTransaction(tx -> {
                Invoices invoices = tx.attach(Invoices.class);
                Invoice draft;
                if (toCredit == null) {
                    draft = invoices.createDraft(tenant.client(), "EUR");
                    invoices.addItem(draft.id(), "Work", BigDecimal.ONE, new BigDecimal("100.00"));
                } else {
                    draft = invoices.createCreditNote(toCredit);
                    invoices.changeItem(draft.items().get(0).id(), draft.items().get(0).change().withQuantity(new BigDecimal("0.01")));
                }
                Invoice numbered = invoices.issue(draft.id());
                if (rollBack) {
                    throw new DeliberateRollback();
                }
                return numbered;
            });
            committed.add(new Committed(tenant.id(), issued.id(), issued.series(), expectedYear));
            if (issued.kind() == InvoiceKind.INVOICE) {
                tenant.invoices().add(issued.id());
            }
        } catch (DeliberateRollback expected) {
            rolledBack.incrementAndGet();
        } finally {
            clock.setForThisThread(null);
        }
    }

    private static String key(UUID tenant, String series, int year) {
        return tenant + "/" + series + "/" + year;
    }
}
