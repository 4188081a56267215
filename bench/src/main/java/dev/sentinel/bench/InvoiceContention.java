package dev.sentinel.bench;

import static dev.sentinel.core.db.Tables.TENANTS;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.agency.Agency;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.schema.Roles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Invoice issuing under contention: 1, 8 and 32 threads issuing invoices in one hot tenant or
 * spread over 100 tenants, once with the numbering as the transaction's last write and once with
 * 5 ms of work (a sleep, standing for rendering or a call) after it, before the commit. The
 * variants, each one transaction per invoice with the tenant set by {@code SET LOCAL}:
 *
 * <ul>
 *   <li><b>sequence</b>: {@code nextval} of one PostgreSQL sequence in the update that issues the
 *       draft: never waits, but numbers are shared by all tenants and a rollback leaves a gap;</li>
 *   <li><b>max() + 1</b>: under SERIALIZABLE, the tenant's highest number plus one, then the update;
 *       serialization failures (and unique violations) are retried at once;</li>
 *   <li><b>counter row (ceiling)</b>: only the statement that takes the next number from a copy
 *       of the kernel's counter table, {@code bench_counters} (insert or increment,
 *       {@code RETURNING}; the kernel's own counters are writable only through
 *       {@code sentinel.next_number}), keyed as the agency keys an invoice series' counter; no
 *       invoice is touched, so no issuing can be faster;</li>
 *   <li><b>next_number()</b>: the same counter row through the kernel's numbering primitive,
 *       {@code select sentinel.next_number(series, period)} (what {@code Tx.numbering().next} and
 *       the agency's {@code issue()} call): the ceiling plus a PL/pgSQL call and its tenant check;</li>
 *   <li><b>Sentinel</b>: {@code tx.attach(Invoices.class).issue(draftId)} of the agency module,
 *       by a service actor, by a user actor (a permission checked), and by the service actor with
 *       one transaction in ten rolled back after the number was taken ({@link SentinelIssuing}).</li>
 * </ul>
 *
 * Every cell numbers its own series, so the check after it (numbers per tenant consecutive from 1)
 * sees only its own invoices. A cell issues at most {@code ops} invoices and stops handing out
 * more after {@code maxSeconds}. Not thread-safe; run once.
 */
final class InvoiceContention {

    /** The threads of the cells. */
    static final List<Integer> THREADS = List.of(1, 8, 32);
    /** Tenants of the spread cells. */
    static final int SPREAD_TENANTS = 100;
    /** The work after the numbering in the second half. */
    static final long WORK_AFTER_MS = 5;
    /**
     * How the agency names an invoice series' counter in {@code sentinel.number_counters}: the
     * kernel's counters are shared by every module, so the agency prefixes its series (see the
     * agency's {@code InvoicesImpl.counter}); the period is the year.
     */
    static final String AGENCY_COUNTER_PREFIX = "agency.invoices:";

    /**
     * One cell's result.
     *
     * @param variant the numbering
     * @param workAfter whether 5 ms of work followed the numbering
     * @param tenants tenants the invoices were spread over
     * @param threads issuing threads
     * @param issued invoices issued
     * @param seconds wall time
     * @param latenciesMicros each issue's transaction time, sorted
     * @param retries serialization retries (max() + 1 only)
     * @param consecutive whether every tenant's numbers of the cell run 1, 2, 3... without gap or
     *     repeat; {@code null} where no invoice gets a number (the ceiling)
     * @param lockMicros each committed transaction's span from the start of the statement that takes
     *     the counter row's lock to the end of its commit ({@link LockClock}), sorted; empty for the
     *     variants without a counter row
     */
    record Cell(String variant, boolean workAfter, int tenants, int threads, int issued, double seconds,
            List<Double> latenciesMicros, long retries, Boolean consecutive, List<Double> lockMicros) {

        double perSecond() {
            return issued / seconds;
        }

        double percentileMillis(double q) {
            return latenciesMicros.isEmpty() ? Double.NaN : Report.quantile(latenciesMicros, q) / 1000;
        }
    }

    /** One way of issuing, bound to a pool. */
    interface Issuer {

        /**
         * The variant's name in the report.
         *
         * @return the name
         */
        String name();

        /**
         * Creates the drafts of a cell (untimed): op {@code i} issues a draft of tenant
         * {@code tenants.get(i % tenants.size())}.
         *
         * @param series the cell's series
         * @param tenants the cell's tenants
         * @param ops how many
         * @throws Exception if it fails
         */
        void prepare(String series, List<UUID> tenants, int ops) throws Exception;

        /**
         * Issues op {@code op}'s draft in one transaction, running {@code work} after the numbering
         * and before the commit.
         *
         * @param op the op's index
         * @param tenant its tenant
         * @param work what follows the numbering
         * @return retries it needed
         * @throws Exception if it fails
         */
        int issue(int op, UUID tenant, Runnable work) throws Exception;

        /**
         * Whether every tenant's numbers in the series run 1..n without gap or repeat.
         *
         * @param series the cell's series
         * @param tenants the cell's tenants
         * @return the verdict, or {@code null} if the variant numbers no invoice
         * @throws SQLException if reading fails
         */
        Boolean consecutive(String series, List<UUID> tenants) throws SQLException;
    }

    private final String url;
    private final String user;
    private final String password;
    private final DataSource owner;
    private final int opsLast;
    private final int opsWorkAfter;
    private final double maxSeconds;
    private final List<Cell> cells = new ArrayList<>();
    private LockClock lockClock;
    private int series;

    /**
     * A run's settings.
     *
     * @param url the migrated database
     * @param user the application role
     * @param password its password
     * @param owner connections as the tables' owner, to analyze them after a cell's drafts are made
     * @param opsLast invoices per cell of the first half
     * @param opsWorkAfter invoices per cell of the second half
     * @param maxSeconds when a cell stops handing out more
     */
    InvoiceContention(String url, String user, String password, DataSource owner, int opsLast,
            int opsWorkAfter, double maxSeconds) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.owner = owner;
        this.opsLast = opsLast;
        this.opsWorkAfter = opsWorkAfter;
        this.maxSeconds = maxSeconds;
    }

    /**
     * Runs every cell.
     *
     * @param sentinelIssuers makes Sentinel's issuers over a Sentinel, or {@code null} if this build has no {@code issue()}
     * @return the cells, in run order
     * @throws Exception if a cell fails
     */
    List<Cell> run(java.util.function.Function<Sentinel, List<Issuer>> sentinelIssuers) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-invoices");
        DataSource connections = Fixture.dataSource(url, user, password);
        lockClock = new LockClock(connections);
        config.setDataSource(lockClock);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(THREADS.get(THREADS.size() - 1) + 2);
        try (HikariDataSource pool = new HikariDataSource(config); Sentinel sentinel = Sentinel.builder().dataSource(pool)
                .systemDataSource(Fixture.dataSource(url, Roles.DEFAULT_SYSTEM, password)).module(Agency.module()).build()) {
            List<UUID> tenants = new ArrayList<>();
            for (int i = 0; i < SPREAD_TENANTS; i++) {
                tenants.add(sentinel.system(Actor.service("bench-setup")).inTransaction(tx -> tx.table(TENANTS)
                        .insert(new TenantsRecord().setSlug("inv-" + UUID.randomUUID().toString().substring(0, 12))
                                .setName("Invoice benchmark")).getId()));
            }
            List<Issuer> issuers = new ArrayList<>(List.of(new SequenceIssuer(pool), new MaxPlusOneIssuer(pool), new CounterRowIssuer(pool),
                    new NextNumberIssuer(pool)));
            if (sentinelIssuers != null) {
                issuers.addAll(sentinelIssuers.apply(sentinel));
            }
            // Untimed: class loading, JIT, prepared statements, the first counter rows.
            for (Issuer issuer : issuers) {
                cell(issuer, false, tenants.subList(0, 4), 4, 100);
            }
            cells.clear();
            int order = 0;
            for (boolean workAfter : List.of(false, true)) {
                for (List<UUID> cellTenants : List.of(tenants.subList(0, 1), tenants)) {
                    for (int threads : THREADS) {
                        List<Issuer> ordered = new ArrayList<>(issuers);
                        if (order++ % 2 == 1) {
                            Collections.reverse(ordered);
                        }
                        for (Issuer issuer : ordered) {
                            System.out.printf("Invoices: %s, %d thread(s), %d tenant(s), %s%n", issuer.name(), threads,
                                    cellTenants.size(), workAfter ? WORK_AFTER_MS + " ms after" : "last");
                            cell(issuer, workAfter, cellTenants, threads, workAfter ? opsWorkAfter : opsLast);
                        }
                    }
                }
            }
        }
        return List.copyOf(cells);
    }

    private void cell(Issuer issuer, boolean workAfter, List<UUID> tenants, int threads, int ops) throws Exception {
        String cellSeries = "B" + (++series);
        issuer.prepare(cellSeries, tenants, ops);
        analyze();
        lockClock.drain();
        Runnable work = workAfter ? InvoiceContention::work : () -> { };
        AtomicInteger next = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<List<Double>> latencies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long[] startedAt = new long[1];
        long stopAt;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Double> mine = new ArrayList<>();
                latencies.add(mine);
                running.add(pool.submit(() -> {
                    start.await();
                    long deadline = startedAt[0] + (long) (maxSeconds * 1e9);
                    for (int op = next.getAndIncrement(); op < ops && System.nanoTime() < deadline; op = next.getAndIncrement()) {
                        long begin = System.nanoTime();
                        retries.addAndGet(issuer.issue(op, tenants.get(op % tenants.size()), work));
                        mine.add((System.nanoTime() - begin) / 1_000.0);
                    }
                    return null;
                }));
            }
            startedAt[0] = System.nanoTime();
            start.await();
            for (Future<?> thread : running) {
                thread.get();
            }
            stopAt = System.nanoTime();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        List<Double> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        Collections.sort(all);
        List<Double> locked = new ArrayList<>(lockClock.drain());
        Collections.sort(locked);
        cells.add(new Cell(issuer.name(), workAfter, tenants.size(), threads, all.size(), (stopAt - startedAt[0]) / 1e9,
                List.copyOf(all), retries.get(), issuer.consecutive(cellSeries, tenants), List.copyOf(locked)));
    }

    /**
     * Gives the planner statistics of the tables a cell reads, as autovacuum does in a service
     * within its naptime: a cell's drafts were made seconds before, and a table never analyzed
     * has none, with which the planner read a draft through an index on {@code tenant_id} alone,
     * scanning every invoice of the tenant (measured, docs/decisions.md, issue #27).
     */
    private void analyze() throws SQLException {
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("analyze agency.invoices, agency.invoice_items, agency.invoice_series, agency.clients,"
                    + " sentinel.number_counters, bench_invoices, bench_counters");
        }
    }

    private static void work() {
        try {
            Thread.sleep(WORK_AFTER_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The year the numbers count in (every variant uses the same). */
    static int year() {
        return Year.now(ZoneOffset.UTC).getValue();
    }

    /**
     * The counter row's key in {@code sentinel.number_counters} of a cell's series, as the agency
     * keys an invoice series: {@code (tenant, 'agency.invoices:' || series, year as text)}.
     *
     * @param series the cell's series
     * @return the counter's series
     */
    static String counterSeries(String series) {
        return AGENCY_COUNTER_PREFIX + series;
    }

    // ----------------------------------------------------------------------------- the variants

    /** What the hand-written variants share: drafts in {@code bench_invoices}, the transaction skeleton. */
    abstract static class HandWritten implements Issuer {

        final DataSource pool;
        private UUID[] drafts = new UUID[0];

        HandWritten(DataSource pool) {
            this.pool = pool;
        }

        /** Whether this variant issues drafts (the ceiling does not). */
        boolean needsDrafts() {
            return true;
        }

        @Override
        public void prepare(String series, List<UUID> tenants, int ops) throws SQLException {
            drafts = new UUID[ops];
            if (!needsDrafts()) {
                return;
            }
            for (int i = 0; i < ops; i++) {
                drafts[i] = AbstractNotes.UUIDS.generate();
            }
            try (Connection connection = pool.getConnection()) {
                for (int t = 0; t < tenants.size(); t++) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET LOCAL sentinel.tenant_id = '" + tenants.get(t) + "'");
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "insert into bench_invoices (tenant_id, id, series) values (?, ?, ?)")) {
                        for (int i = t; i < ops; i += tenants.size()) {
                            insert.setObject(1, tenants.get(t));
                            insert.setObject(2, drafts[i]);
                            insert.setString(3, series);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                }
                connection.commit();
            }
        }

        UUID draft(int op) {
            return drafts[op];
        }

        /** Runs one transaction in the tenant's scope; {@code settings} go first, in the same round trip. */
        <T> T inTransaction(UUID tenant, String settings, Work<T> work) throws SQLException {
            try (Connection connection = pool.getConnection()) {
                try {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(settings + "SET LOCAL sentinel.tenant_id = '" + tenant + "'");
                    }
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollbackError) {
                        e.addSuppressed(rollbackError);
                    }
                    throw e;
                }
            }
        }

        @Override
        public Boolean consecutive(String series, List<UUID> tenants) throws SQLException {
            return consecutiveNumbers(pool, tenants, "select count(*), count(distinct sequence_number), min(sequence_number),"
                    + " max(sequence_number) from bench_invoices where tenant_id = ? and series = ? and status = 'issued'", series);
        }

        /** One unit of work on the transaction's connection. */
        @FunctionalInterface
        interface Work<T> {
            T run(Connection connection) throws SQLException;
        }
    }

    /**
     * Whether, for each tenant, a query's (count, distinct count, min, max) says 1..n.
     *
     * @param pool connections as the application role
     * @param tenants the tenants
     * @param sql the query, with the tenant and the series as parameters
     * @param series the series
     * @return the verdict
     * @throws SQLException if reading fails
     */
    static boolean consecutiveNumbers(DataSource pool, List<UUID> tenants, String sql, String series) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            boolean all = true;
            for (UUID tenant : tenants) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL sentinel.tenant_id = '" + tenant + "'");
                }
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setObject(1, tenant);
                    select.setString(2, series);
                    try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                        long count = rs.getLong(1);
                        all &= count == 0 || (rs.getLong(2) == count && rs.getLong(3) == 1 && rs.getLong(4) == count);
                    }
                }
                connection.commit();
            }
            return all;
        }
    }

    /** A PostgreSQL sequence shared by all tenants: never waits; gaps after rollbacks, not consecutive per tenant. */
    static final class SequenceIssuer extends HandWritten {

        SequenceIssuer(DataSource pool) {
            super(pool);
        }

        @Override
        public String name() {
            return "sequence (gaps)";
        }

        @Override
        public int issue(int op, UUID tenant, Runnable work) throws SQLException {
            return inTransaction(tenant, "", connection -> {
                try (PreparedStatement update = connection.prepareStatement("update bench_invoices set status = 'issued',"
                        + " sequence_year = ?, sequence_number = nextval('bench_invoice_numbers'), issued_at = now(), updated_at = now()"
                        + " where tenant_id = ? and id = ? and status = 'draft' returning sequence_number")) {
                    update.setInt(1, year());
                    update.setObject(2, tenant);
                    update.setObject(3, draft(op));
                    try (ResultSet rs = update.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("No draft " + draft(op));
                        }
                    }
                }
                work.run();
                return 0;
            });
        }
    }

    /** max() + 1 under SERIALIZABLE, retried on serialization failures and unique violations. */
    static final class MaxPlusOneIssuer extends HandWritten {

        private static final String SERIALIZABLE = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; ";

        MaxPlusOneIssuer(DataSource pool) {
            super(pool);
        }

        @Override
        public String name() {
            return "max() + 1, SERIALIZABLE";
        }

        @Override
        public int issue(int op, UUID tenant, Runnable work) throws SQLException {
            for (int retries = 0; ; retries++) {
                try {
                    inTransaction(tenant, SERIALIZABLE, connection -> {
                        String series;
                        long next;
                        try (PreparedStatement max = connection.prepareStatement("select d.series, (select coalesce(max(i.sequence_number), 0) + 1"
                                + " from bench_invoices i where i.tenant_id = d.tenant_id and i.series = d.series and i.sequence_year = ?)"
                                + " from bench_invoices d where d.tenant_id = ? and d.id = ?")) {
                            max.setInt(1, year());
                            max.setObject(2, tenant);
                            max.setObject(3, draft(op));
                            try (ResultSet rs = max.executeQuery()) {
                                rs.next();
                                series = rs.getString(1);
                                next = rs.getLong(2);
                            }
                        }
                        try (PreparedStatement update = connection.prepareStatement("update bench_invoices set status = 'issued',"
                                + " sequence_year = ?, sequence_number = ?, issued_at = now(), updated_at = now()"
                                + " where tenant_id = ? and id = ? and status = 'draft' and series = ?")) {
                            update.setInt(1, year());
                            update.setLong(2, next);
                            update.setObject(3, tenant);
                            update.setObject(4, draft(op));
                            update.setString(5, series);
                            if (update.executeUpdate() != 1) {
                                throw new IllegalStateException("No draft " + draft(op));
                            }
                        }
                        work.run();
                        return null;
                    });
                    return retries;
                } catch (SQLException e) {
                    String state = e.getSQLState();
                    if (!"40001".equals(state) && !"40P01".equals(state) && !"23505".equals(state)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** What the counter-only variants share: no drafts, no invoice numbered, one counter statement. */
    abstract static class CounterOnly extends HandWritten {

        private String series;

        CounterOnly(DataSource pool) {
            super(pool);
        }

        @Override
        boolean needsDrafts() {
            return false;
        }

        @Override
        public void prepare(String cellSeries, List<UUID> tenants, int ops) throws SQLException {
            super.prepare(cellSeries, tenants, ops);
            this.series = cellSeries;
        }

        @Override
        public int issue(int op, UUID tenant, Runnable work) throws SQLException {
            return inTransaction(tenant, "", connection -> {
                next(connection, tenant, counterSeries(series), Integer.toString(year()));
                work.run();
                return 0;
            });
        }

        /**
         * Takes the next number of one counter row, in the transaction of {@code connection}.
         *
         * @param connection the transaction's connection, the tenant set
         * @param tenant the tenant
         * @param counter the counter's series ({@link #counterSeries})
         * @param period the counter's period, the year
         * @throws SQLException if the statement fails
         */
        abstract void next(Connection connection, UUID tenant, String counter, String period) throws SQLException;

        @Override
        public Boolean consecutive(String cellSeries, List<UUID> tenants) {
            return null;
        }
    }

    /**
     * The ceiling: only the counter row's statement, written out on a copy of the kernel's counter
     * table ({@code bench_counters}, which the application role may write) with the agency's key
     * (the statement {@code sentinel.next_number} runs, without the call, its
     * tenant check and its {@code updated_at}).
     */
    static final class CounterRowIssuer extends CounterOnly {

        CounterRowIssuer(DataSource pool) {
            super(pool);
        }

        @Override
        public String name() {
            return CEILING;
        }

        @Override
        void next(Connection connection, UUID tenant, String counter, String period) throws SQLException {
            try (PreparedStatement next = connection.prepareStatement("insert into bench_counters as c"
                    + " (tenant_id, series, period, last_value) values (?, ?, ?, 1) on conflict (tenant_id, series, period)"
                    + " do update set last_value = c.last_value + 1 returning c.last_value")) {
                next.setObject(1, tenant);
                next.setString(2, counter);
                next.setString(3, period);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /** The same counter row through the kernel's numbering primitive, {@code sentinel.next_number}. */
    static final class NextNumberIssuer extends CounterOnly {

        NextNumberIssuer(DataSource pool) {
            super(pool);
        }

        @Override
        public String name() {
            return "next_number() alone";
        }

        @Override
        void next(Connection connection, UUID tenant, String counter, String period) throws SQLException {
            try (PreparedStatement next = connection.prepareStatement("select sentinel.next_number(?, ?)")) {
                next.setString(1, counter);
                next.setString(2, period);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /**
     * The cells as a map for the report: variant to cells.
     *
     * @param cells the cells
     * @return by variant, in first-seen order
     */
    static Map<String, List<Cell>> byVariant(List<Cell> cells) {
        Map<String, List<Cell>> map = new java.util.LinkedHashMap<>();
        for (Cell cell : cells) {
            map.computeIfAbsent(cell.variant(), key -> new ArrayList<>()).add(cell);
        }
        return map;
    }

    // ------------------------------------------------------------------------------- the report

    /**
     * The report's section.
     *
     * @param cells the cells, empty if the part did not run
     * @param sentinelLine whether Sentinel's {@code issue()} was measured
     * @return Markdown
     */
    static String markdown(List<Cell> cells, boolean sentinelLine) {
        if (cells.isEmpty()) {
            return "";
        }
        Map<String, List<Cell>> variants = byVariant(cells);
        StringBuilder md = new StringBuilder("\n## Invoice issuing under contention\n\n");
        md.append("Invoices issued per second (all threads together), with each issue's transaction time p50 / p99 in ms.\n"
                + "Each issue is one transaction with the tenant set by `SET LOCAL`; a cell issues up to its quota of\n"
                + "invoices (round robin over its tenants) or stops handing out more after its time limit. *last*: the\n"
                + "numbering is the transaction's last write; *+" + WORK_AFTER_MS + " ms*: " + WORK_AFTER_MS
                + " ms of other work (a sleep) follow it before the\n"
                + "commit, which is what the docs' \"make `issue()` the last write\" is about: a counter row stays locked until\n"
                + "commit, so on one hot tenant that work serializes every issuer.\n\n");
        if (!sentinelLine) {
            md.append("**Sentinel's own line is missing:** `tx.attach(Invoices.class).issue(...)` (Billing, issue 9) is not in this build.\n"
                    + "The counter-row ceiling below is the statement it is built on, on the kernel's counter table.\n\n");
        }
        md.append("| numbering | tenants | threads |");
        variants.keySet().forEach(v -> md.append(' ').append(v).append(" |"));
        md.append("\n|---|---:|---:|");
        variants.keySet().forEach(v -> md.append("---:|"));
        md.append('\n');
        List<Cell> first = variants.values().iterator().next();
        for (int i = 0; i < first.size(); i++) {
            Cell row = first.get(i);
            md.append("| ").append(row.workAfter() ? "+" + WORK_AFTER_MS + " ms after" : "last").append(" | ")
                    .append(row.tenants() == 1 ? "1 (hot)" : Integer.toString(row.tenants())).append(" | ").append(row.threads()).append(" |");
            for (List<Cell> variant : variants.values()) {
                Cell cell = find(variant, row);
                md.append(' ').append(cell == null ? "–" : "**" + Report.number(cell.perSecond(), 0) + "/s** ("
                        + Report.number(cell.percentileMillis(0.5), 1) + " / " + Report.number(cell.percentileMillis(0.99), 1) + ")"
                        + (cell.retries() > 0 ? ", " + Report.number(cell.retries(), 0) + " retries" : "")).append(" |");
            }
            md.append('\n');
        }
        md.append(ratios(variants));
        md.append("\nNumbers consecutive per tenant (1, 2, 3... without gap or repeat) in every cell:");
        for (Map.Entry<String, List<Cell>> variant : variants.entrySet()) {
            Boolean all = variant.getValue().stream().map(Cell::consecutive).reduce(Boolean.TRUE,
                    (a, b) -> a == null || b == null ? null : a && b);
            md.append(' ').append(variant.getKey()).append(": ").append(all == null ? "not applicable (no invoice numbered)"
                    : all ? "yes" : "**no**").append(';');
        }
        md.setLength(md.length() - 1);
        md.append(". A sequence is shared by every tenant (one per tenant would mean 100 sequences per year and series), so a\n"
                + "tenant's numbers are not consecutive even without a rollback, and a rollback burns its number.\n");
        return md.toString();
    }

    /** The name of the ceiling's variant. */
    static final String CEILING = "counter row alone (ceiling)";

    /**
     * Each variant against the ceiling, cell by cell, and the time each issue holds the counter
     * row's lock: measured ({@link LockClock}, the median) with one thread, where nothing waits for
     * the lock; where issuers of one hot tenant queue on it, one second over the rate, since the
     * lock serializes them.
     */
    private static String ratios(Map<String, List<Cell>> variants) {
        List<Cell> ceiling = variants.get(CEILING);
        if (ceiling == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nAgainst the ceiling (each variant's rate over the counter row's, same cell); *lock µs*:"
                + " the time each issue holds the\ncounter row's lock: with 1 thread measured, the median span from the start of the"
                + " statement that takes\nthe lock to the end of the commit (nothing waits then); on one hot tenant with more than one"
                + " thread, one\nsecond over the rate (the lock serializes the issuers).\n\n"
                + "| numbering | tenants | threads |");
        List<String> names = variants.keySet().stream().filter(v -> !v.equals(CEILING)).toList();
        names.forEach(v -> md.append(' ').append(v).append(" |"));
        md.append(" lock µs: ceiling |");
        List<String> locking = names.stream().filter(v -> !variants.get(v).get(0).lockMicros().isEmpty()).toList();
        locking.forEach(v -> md.append(" lock µs: ").append(v).append(" |"));
        md.append("\n|---|---:|---:|");
        names.forEach(v -> md.append("---:|"));
        md.append("---:|");
        locking.forEach(v -> md.append("---:|"));
        md.append('\n');
        for (Cell row : ceiling) {
            boolean queued = row.tenants() == 1 && row.threads() > 1;
            boolean alone = row.threads() == 1;
            md.append("| ").append(row.workAfter() ? "+" + WORK_AFTER_MS + " ms after" : "last").append(" | ")
                    .append(row.tenants() == 1 ? "1 (hot)" : Integer.toString(row.tenants())).append(" | ").append(row.threads()).append(" |");
            for (String name : names) {
                Cell cell = find(variants.get(name), row);
                md.append(' ').append(cell == null ? "–" : Report.number(100 * cell.perSecond() / row.perSecond(), 0) + "%").append(" |");
            }
            md.append(' ').append(lockMicros(row, queued, alone)).append(" |");
            for (String name : locking) {
                Cell cell = find(variants.get(name), row);
                md.append(' ').append(cell == null ? "–" : lockMicros(cell, queued, alone)).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** A cell's lock time: measured alone, one second over the rate when queued, else none. */
    private static String lockMicros(Cell cell, boolean queued, boolean alone) {
        if (alone && !cell.lockMicros().isEmpty()) {
            return Report.number(Report.quantile(cell.lockMicros(), 0.5), 0);
        }
        return queued ? Report.number(1e6 / cell.perSecond(), 0) : "–";
    }

    private static Cell find(List<Cell> variant, Cell like) {
        for (Cell cell : variant) {
            if (cell.workAfter() == like.workAfter() && cell.tenants() == like.tenants() && cell.threads() == like.threads()) {
                return cell;
            }
        }
        return null;
    }

    /**
     * The chart's panel: invoices per second by cell and variant, on a logarithmic scale.
     *
     * @param cells the cells
     * @return the panel
     */
    static Chart.Panel panel(List<Cell> cells) {
        List<Chart.Bar> bars = new ArrayList<>();
        Map<String, List<Cell>> variants = byVariant(cells);
        List<java.awt.Color> colors = List.of(Chart.JDBC, Chart.JOOQ, Chart.OTHER, Chart.TRIGGER, Chart.SENTINEL);
        if (!variants.isEmpty()) {
            List<Cell> first = variants.values().iterator().next();
            for (Cell row : first) {
                String group = (row.workAfter() ? "+" + WORK_AFTER_MS + " ms after" : "last") + ", "
                        + (row.tenants() == 1 ? "1 hot tenant" : row.tenants() + " tenants") + ", " + row.threads()
                        + (row.threads() == 1 ? " thread" : " threads");
                int v = 0;
                for (Map.Entry<String, List<Cell>> variant : variants.entrySet()) {
                    Cell cell = find(variant.getValue(), row);
                    if (cell != null) {
                        bars.add(new Chart.Bar(group, variant.getKey(), cell.perSecond(),
                                Report.number(cell.perSecond(), 0) + "/s", colors.get(v % colors.size())));
                    }
                    v++;
                }
            }
        }
        return new Chart.Panel("Invoice issuing under contention: invoices per second (log scale; higher is better)", bars, true,
                Double.NaN, "/s", "");
    }
}
