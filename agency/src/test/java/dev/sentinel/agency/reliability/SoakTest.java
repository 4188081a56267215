package dev.sentinel.agency.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.GapReport;
import dev.sentinel.agency.billing.Invoice;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoice;
import dev.sentinel.agency.support.AgencyDatabase;
import dev.sentinel.core.Actor;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditChain;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.db.enums.MemberStatus;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.identity.Member;
import dev.sentinel.core.internal.WorkerPool;
import dev.sentinel.core.jobs.Backoff;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.support.LogCapture;
import dev.sentinel.core.support.QuietLogs;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: mixed load on several tenants for a while, with job workers running and backends
 * killed at random, then an integrity check. Its length is {@code -Dsentinel.soak} (an ISO-8601
 * duration; default {@code PT5S}, so the normal build runs it briefly and it cannot rot):
 *
 * <pre>
 * ./mvnw -q -B verify -pl agency -am -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dsentinel.soak=PT5M
 * </pre>
 *
 * <p>Four load threads, each on a random tenant of four per transaction: issue invoices in two
 * series (a quarter of the issuing transactions roll back after {@code issue()}), create, update,
 * soft-delete and restore widgets through the repository, add, change and remove members and
 * their roles, and enqueue jobs whose handlers write an audited row (some of those transactions
 * roll back; some jobs fail once, some on every attempt). Four workers in two pools run the jobs; the
 * audit chain is sealed every second; and about once a second a backend of the application role
 * is terminated, whatever it was doing (a load transaction, a claim, a heartbeat, a handler, the
 * sealer). A transaction that lost its connection during {@code COMMIT} is in doubt, and the check
 * reads what it left.
 *
 * <p>Then: every (tenant, series, year) is numbered 1..n without a gap, and its gap report agrees;
 * every tenant's audit chain seals and verifies, covering every audit row; every job of a committed
 * transaction is accounted for (succeeded + dead + still queued = enqueued; none of a rolled-back
 * one exists), a succeeded job's row exists exactly once and a dead one's never; every widget and
 * membership is as the committed transactions left it; and no error was other than expected.
 */
class SoakTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().moduleMigrations(Agency.SCHEMA, Agency.MIGRATION_LOCATION)
            .serviceMigrations("classpath:db/test-service").build();

    private static final Duration DURATION = Duration.parse(System.getProperty("sentinel.soak", "PT5S"));
    private static final int TENANTS = 4;
    private static final int LOAD_THREADS = 4;
    private static final Duration KILL_EVERY = Duration.ofSeconds(1);
    private static final Actor LOAD = Actor.service("soak");
    private static final List<String> SERIES = List.of("INV", "SOAK");

    /** Thrown by load transactions that roll back on purpose. */
    private static final class RollBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RollBack() {
            super("rolled back on purpose", null, false, false);
        }
    }

    /** What a job's handler does, by its payload. */
    enum Mode {
        OK, FLAKY, DOOMED
    }

    private Sentinel sentinel;
    private final List<UUID> tenants = new ArrayList<>();
    private final Map<UUID, UUID> clients = new HashMap<>();

    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong lostBeforeCommit = new AtomicLong();
    private final AtomicLong lostInDoubt = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong issuesRolledBack = new AtomicLong();
    private final AtomicLong issuesInDoubt = new AtomicLong();
    private final AtomicLong widgetWrites = new AtomicLong();
    private final AtomicLong memberChanges = new AtomicLong();
    private final Map<UUID, Mode> jobsCommitted = new ConcurrentHashMap<>();
    private final Map<UUID, Mode> jobsInDoubt = new ConcurrentHashMap<>();
    private final Set<UUID> jobsRolledBack = ConcurrentHashMap.newKeySet();
    private final Map<UUID, AtomicInteger> handlerRuns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> kills = new ConcurrentHashMap<>();
    private final List<Throwable> unexpected = new ArrayList<>();
    private volatile boolean stop;

    @Test
    void mixedLoadWithWorkersAndKilledBackendsLeavesNumberingAuditAndJobsIntact() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        long started = System.nanoTime();
        try (QuietLogs quiet = QuietLogs.errorsOnly("com.zaxxer.hikari", "dev.sentinel.core.Sentinel");
                LogCapture poolLog = LogCapture.of(WorkerPool.class.getName())) {
            sentinel = AgencyDatabase.sentinel(db).maximumPoolSize(16)
                    .auditKey(AuditKey.of("soak-1", secret)).sealAuditEvery(Duration.ofSeconds(1)).build();
            try {
                List<Load> loads = setUp();
                List<JobWorkers> pools = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    pools.add(JobWorkers.builder(sentinel).workerId("soak-" + p).handler("soak.work", this::handle)
                            .queue("soak", 2).pollInterval(Duration.ofMillis(50)).lease(Duration.ofSeconds(5))
                            .heartbeatEvery(Duration.ofSeconds(1)).rescueEvery(Duration.ofSeconds(1))
                            .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), 0.5)).start());
                }
                List<Thread> threads = new ArrayList<>();
                for (Load load : loads) {
                    threads.add(Thread.ofPlatform().name("soak-load-" + threads.size()).start(load));
                }
                Thread killer = Thread.ofPlatform().name("soak-killer").start(this::killBackends);
                long loadStarted = System.nanoTime();
                Thread.sleep(DURATION.toMillis());
                stop = true;
                for (Thread thread : threads) {
                    thread.join(TimeUnit.MINUTES.toMillis(2));
                }
                killer.join(TimeUnit.MINUTES.toMillis(1));
                long loadEnded = System.nanoTime();
                // HikariCP checks an idle connection on borrow only if it sat unused for 500 ms; after
                // that long, a connection the killer broke last is replaced rather than handed to a check.
                Thread.sleep(600);
                synchronized (unexpected) {
                    assertThat(unexpected).describedAs("errors other than rollbacks on purpose and lost connections").isEmpty();
                }
                awaitDrained();
                for (JobWorkers pool : pools) {
                    assertThat(pool.isRunning()).isTrue();
                    assertThat(pool.shutdown(Duration.ofSeconds(10))).describedAs("jobs left running at shutdown").isZero();
                }
                long drained = System.nanoTime();

                checkNumbering();
                long auditRows = checkAuditChains();
                JobCounts jobs = checkJobs();
                for (Load load : loads) {
                    load.check();
                }
                assertThat(poolLog.events().stream().filter(e -> e.thrown() != null
                        && !e.thrown().equals(ConnectionLostException.class.getName())).map(e -> e.message() + "\n" + e.error()).toList())
                        .describedAs("errors other than ConnectionLostException met by the workers' claims, heartbeats, rescues"
                                + " and failure records").isEmpty();
                int killed = kills.values().stream().mapToInt(AtomicInteger::get).sum();
                int runs = handlerRuns.values().stream().mapToInt(AtomicInteger::get).sum();
                int reruns = runs - handlerRuns.size(); // each job's first run is not a re-run
                System.out.printf("SoakTest: %s of mixed load (after %d s of setup; %d s to stop it, %d s to drain the queue) on %d tenants, %d load"
                                + " threads, 4 job workers in 2 pools, the audit chain sealed every second, %d backends killed (%s):"
                                + " %d transactions committed, %d rolled back on purpose, %d lost before COMMIT and %d in doubt"
                                + " (reconciled); %d invoices issued in %d (tenant, series, year) counters, each numbered 1..n"
                                + " without a gap and its gap report complete (%d issues rolled back after issue(), %d in doubt);"
                                + " %d widget writes and %d member or role changes, each row as the committed transactions left it;"
                                + " %d jobs enqueued by committed transactions (%d in doubt, of which %d committed; %d rolled back,"
                                + " none present): %d succeeded with their audited row written once, %d dead as designed, %d still"
                                + " queued; %d handler runs (%d re-runs); %d audit rows, all sealed, %d chains verified intact%n",
                        DURATION, TimeUnit.NANOSECONDS.toSeconds(loadStarted - started),
                        TimeUnit.NANOSECONDS.toSeconds(loadEnded - loadStarted - DURATION.toNanos()),
                        TimeUnit.NANOSECONDS.toSeconds(drained - loadEnded),
                        TENANTS, LOAD_THREADS, killed, kills, committed.get(), rolledBack.get(), lostBeforeCommit.get(),
                        lostInDoubt.get(), issued.get(), countersChecked, issuesRolledBack.get(), issuesInDoubt.get(),
                        widgetWrites.get(), memberChanges.get(), jobs.enqueued, jobsInDoubt.size(), jobs.inDoubtCommitted,
                        jobsRolledBack.size(), jobs.succeeded, jobs.dead, jobs.queued, runs, reruns,
                        auditRows, TENANTS);
            } finally {
                stop = true;
                sentinel.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------- the load

    private List<Load> setUp() {
        for (int t = 0; t < TENANTS; t++) {
            UUID tenant = Tenants.create(sentinel);
            tenants.add(tenant);
            String name = "Client of tenant " + t;
            clients.put(tenant, sentinel.tenant(tenant, LOAD).inTransaction(tx ->
                    tx.attach(Clients.class).create(NewClient.of(name).withCurrency("EUR")).id()));
        }
        List<Load> loads = new ArrayList<>();
        for (int l = 0; l < LOAD_THREADS; l++) {
            Map<UUID, List<UUID>> users = new HashMap<>();
            for (UUID tenant : tenants) {
                List<UUID> own = new ArrayList<>();
                for (int u = 0; u < 2; u++) {
                    String email = "soak-" + l + "-" + u + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
                    own.add(sentinel.system(Tenants.SETUP).inTransaction(tx -> tx.users().create(email, "Soak user").id()));
                }
                users.put(tenant, own);
            }
            loads.add(new Load(users));
        }
        return loads;
    }

    /** One load thread: its own widgets and users (so that it knows what their state must be), shared tenants. */
    private final class Load implements Runnable {
        private final Map<UUID, List<UUID>> users;
        /** Expected membership status per tenant and user; absent for never added. */
        private final Map<UUID, Map<UUID, MemberStatus>> members = new HashMap<>();
        /** Expected widget state per tenant: id to "live/quantity" or "deleted/quantity". */
        private final Map<UUID, Map<UUID, String>> widgets = new HashMap<>();

        Load(Map<UUID, List<UUID>> users) {
            this.users = users;
            for (UUID tenant : tenants) {
                members.put(tenant, new HashMap<>());
                widgets.put(tenant, new HashMap<>());
            }
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop) {
                UUID tenant = tenants.get(random.nextInt(tenants.size()));
                int pick = random.nextInt(100);
                try {
                    if (pick < 30) {
                        issueInvoice(tenant, random);
                    } else if (pick < 60) {
                        changeWidget(tenant, random);
                    } else if (pick < 75) {
                        changeMember(tenant, random);
                    } else {
                        enqueueJobs(tenant, random);
                    }
                } catch (RuntimeException | Error e) {
                    synchronized (unexpected) {
                        unexpected.add(e);
                    }
                    return;
                }
            }
        }

        /**
         * Runs one transaction and sorts its outcome: committed, rolled back on purpose, lost before
         * COMMIT (nothing written) or in doubt. Returns whether it certainly committed.
         */
        private Outcome transact(UUID tenant, java.util.function.Consumer<dev.sentinel.core.Tx> work) {
            try {
                sentinel.tenant(tenant, LOAD).useTransaction(work::accept);
                committed.incrementAndGet();
                return Outcome.COMMITTED;
            } catch (RollBack expected) {
                rolledBack.incrementAndGet();
                return Outcome.ROLLED_BACK;
            } catch (ConnectionLostException lost) {
                if (lost.duringCommit()) {
                    lostInDoubt.incrementAndGet();
                    return Outcome.IN_DOUBT;
                }
                lostBeforeCommit.incrementAndGet();
                return Outcome.ROLLED_BACK;
            }
        }

        private void issueInvoice(UUID tenant, ThreadLocalRandom random) {
            String series = SERIES.get(random.nextInt(SERIES.size()));
            UUID[] draft = new UUID[1];
            Outcome created = transact(tenant, tx -> {
                Invoice invoice = tx.attach(Invoices.class).createDraft(NewInvoice.of(clients.get(tenant), "EUR").withSeries(series));
                tx.attach(Invoices.class).addItem(invoice.id(), "Soak work", BigDecimal.ONE, new BigDecimal("10.00"));
                draft[0] = invoice.id();
            });
            if (created != Outcome.COMMITTED) {
                return; // an in-doubt draft is simply never issued
            }
            boolean rollBack = random.nextInt(4) == 0;
            Outcome outcome = transact(tenant, tx -> {
                tx.attach(Invoices.class).issue(draft[0]);
                if (rollBack) {
                    throw new RollBack();
                }
            });
            switch (outcome) {
                case COMMITTED -> issued.incrementAndGet();
                case IN_DOUBT -> issuesInDoubt.incrementAndGet();
                case ROLLED_BACK -> issuesRolledBack.incrementAndGet();
            }
        }

        private void changeWidget(UUID tenant, ThreadLocalRandom random) {
            Map<UUID, String> own = widgets.get(tenant);
            boolean rollBack = random.nextInt(7) == 0;
            if (own.isEmpty() || random.nextInt(4) == 0) {
                UUID id = UUID.randomUUID();
                Outcome outcome = transact(tenant, tx -> {
                    tx.table(WIDGETS).insert(new WidgetsRecord().setId(id).setName("soak-" + id));
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
                settle(tenant, id, outcome, "live/0");
                return;
            }
            List<UUID> ids = new ArrayList<>(own.keySet());
            UUID id = ids.get(random.nextInt(ids.size()));
            String[] state = own.get(id).split("/");
            boolean live = state[0].equals("live");
            int quantity = Integer.parseInt(state[1]);
            String next;
            Outcome outcome;
            if (live && random.nextBoolean()) {
                next = "live/" + (quantity + 1);
                outcome = transact(tenant, tx -> {
                    WidgetsRecord widget = tx.table(WIDGETS).get(id);
                    tx.table(WIDGETS).update(widget.setQuantity(widget.getQuantity() + 1));
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
            } else if (live) {
                next = "deleted/" + quantity;
                outcome = transact(tenant, tx -> {
                    tx.table(WIDGETS).softDelete(id, "soak");
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
            } else {
                next = "live/" + quantity;
                outcome = transact(tenant, tx -> {
                    tx.table(WIDGETS).restore(id);
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
            }
            settle(tenant, id, outcome, next);
        }

        private void settle(UUID tenant, UUID id, Outcome outcome, String next) {
            switch (outcome) {
                case COMMITTED -> {
                    widgets.get(tenant).put(id, next);
                    widgetWrites.incrementAndGet();
                }
                case IN_DOUBT -> readWidget(tenant, id).ifPresentOrElse(state -> widgets.get(tenant).put(id, state),
                        () -> widgets.get(tenant).remove(id)); // what the database kept is what happened

                case ROLLED_BACK -> { }
            }
        }

        private void changeMember(UUID tenant, ThreadLocalRandom random) {
            List<UUID> own = users.get(tenant);
            UUID user = own.get(random.nextInt(own.size()));
            Map<UUID, MemberStatus> expected = members.get(tenant);
            boolean rollBack = random.nextInt(7) == 0;
            MemberStatus next;
            Outcome outcome;
            if (expected.get(user) != MemberStatus.ACTIVE) {
                next = MemberStatus.ACTIVE;
                outcome = transact(tenant, tx -> {
                    tx.members().add(user, SeatType.PRO, "staff");
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
            } else {
                int change = random.nextInt(4);
                next = change == 3 ? MemberStatus.REMOVED : MemberStatus.ACTIVE;
                outcome = transact(tenant, tx -> {
                    switch (change) {
                        case 0 -> tx.roles().assign(user, "viewer");
                        case 1 -> tx.roles().revoke(user, "viewer");
                        case 2 -> tx.members().changeSeat(user, random.nextBoolean() ? SeatType.ENTERPRISE : SeatType.PRO);
                        default -> tx.members().remove(user);
                    }
                    if (rollBack) {
                        throw new RollBack();
                    }
                });
            }
            switch (outcome) {
                case COMMITTED -> {
                    expected.put(user, next);
                    memberChanges.incrementAndGet();
                }
                case IN_DOUBT -> readMember(tenant, user).ifPresentOrElse(member -> expected.put(user, member.status()),
                        () -> expected.remove(user));
                case ROLLED_BACK -> { }
            }
        }

        private void enqueueJobs(UUID tenant, ThreadLocalRandom random) {
            boolean rollBack = random.nextInt(7) == 0;
            Map<UUID, Mode> enqueued = new HashMap<>();
            int count = 1 + random.nextInt(3);
            Outcome outcome = transact(tenant, tx -> {
                enqueued.clear(); // the callback may not run twice, but keep it exact if it did
                for (int i = 0; i < count; i++) {
                    int roll = random.nextInt(100);
                    Mode mode = roll < 5 ? Mode.DOOMED : roll < 20 ? Mode.FLAKY : Mode.OK;
                    UUID id = tx.jobs().enqueue("soak.work", "{\"mode\": \"" + mode + "\"}", JobOptions.defaults().queue("soak")
                            .maxAttempts(mode == Mode.DOOMED ? 2 : 6)).job().id();
                    enqueued.put(id, mode);
                }
                if (rollBack) {
                    throw new RollBack();
                }
            });
            switch (outcome) {
                case COMMITTED -> jobsCommitted.putAll(enqueued);
                case IN_DOUBT -> jobsInDoubt.putAll(enqueued);
                case ROLLED_BACK -> jobsRolledBack.addAll(enqueued.keySet());
            }
        }

        void check() {
            for (UUID tenant : tenants) {
                for (Map.Entry<UUID, String> widget : widgets.get(tenant).entrySet()) {
                    assertThat(readWidget(tenant, widget.getKey())).describedAs("widget %s", widget.getKey()).contains(widget.getValue());
                }
                for (Map.Entry<UUID, MemberStatus> member : members.get(tenant).entrySet()) {
                    assertThat(readMember(tenant, member.getKey()).map(Member::status)).describedAs("membership of %s", member.getKey())
                            .contains(member.getValue());
                }
            }
        }
    }

    private enum Outcome {
        COMMITTED, ROLLED_BACK, IN_DOUBT
    }

    private Optional<String> readWidget(UUID tenant, UUID id) {
        return retryingLostConnections(() -> sentinel.tenant(tenant, LOAD).inTransaction(tx -> tx.table(WIDGETS).withDeleted().find(id)
                .map(w -> (w.getDeletedAt() == null ? "live/" : "deleted/") + w.getQuantity())));
    }

    private Optional<Member> readMember(UUID tenant, UUID user) {
        return retryingLostConnections(() -> sentinel.tenant(tenant, LOAD).inTransaction(tx -> tx.members().find(user)));
    }

    /** A read after the load may still meet a connection the killer broke last: try again. */
    private static <T> T retryingLostConnections(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (ConnectionLostException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------- the jobs

    private JobOutcome handle(dev.sentinel.core.Tx tx, Job job) {
        handlerRuns.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
        tx.table(WIDGETS).insert(new WidgetsRecord().setName(job.id() + "/" + job.attempts() + "/" + UUID.randomUUID().toString().substring(0, 8)));
        Mode mode = job.payload().contains("DOOMED") ? Mode.DOOMED : job.payload().contains("FLAKY") ? Mode.FLAKY : Mode.OK;
        if (mode == Mode.DOOMED || (mode == Mode.FLAKY && job.attempts() == 1)) {
            throw new IllegalStateException("soak: " + mode + " job, attempt " + job.attempts());
        }
        return JobOutcome.done();
    }

    private void awaitDrained() throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (retryingLostConnections(() -> sentinel.system(LOAD).inTransaction(tx -> tx.dsl().fetchCount(
                DSL.table("sentinel.jobs"), DSL.field("state").in("queued", "running")))) > 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the job queue did not drain; stats: " + sentinel.jobQueue().stats());
            }
            Thread.sleep(50);
        }
    }

    private record JobRow(UUID id, JobState state, String lastError) {
    }

    private record JobCounts(int enqueued, long inDoubtCommitted, int succeeded, int dead, int queued) {
    }

    private JobCounts checkJobs() {
        Map<UUID, JobRow> rows = new HashMap<>();
        sentinel.system(LOAD).useTransaction(tx -> {
            for (Record r : tx.dsl().resultQuery("select id, state, last_error from sentinel.jobs where queue = 'soak'").fetch()) {
                rows.put(r.get("id", UUID.class), new JobRow(r.get("id", UUID.class), JobState.ofLiteral(r.get("state", String.class)),
                        r.get("last_error", String.class)));
            }
        });
        Map<UUID, Mode> expected = new HashMap<>(jobsCommitted);
        long inDoubtCommitted = 0;
        for (Map.Entry<UUID, Mode> doubt : jobsInDoubt.entrySet()) {
            if (rows.containsKey(doubt.getKey())) {
                expected.put(doubt.getKey(), doubt.getValue());
                inDoubtCommitted++;
            }
        }
        assertThat(jobsRolledBack).describedAs("jobs of rolled-back transactions").noneMatch(rows::containsKey);
        assertThat(rows.keySet()).describedAs("jobs no transaction enqueued").allMatch(expected::containsKey);
        Map<UUID, Long> effects = sentinel.system(LOAD).inTransaction(tx -> tx.dsl().resultQuery(
                "select split_part(name, '/', 1)::uuid as job, count(*) as n from widgets where name like '%/%/%' group by 1")
                .fetchMap(r -> r.get("job", UUID.class), r -> r.get("n", Long.class)));
        int succeeded = 0;
        int dead = 0;
        int queued = 0;
        for (Map.Entry<UUID, Mode> job : expected.entrySet()) {
            JobRow row = rows.get(job.getKey());
            assertThat(row).describedAs("job %s of a committed transaction", job.getKey()).isNotNull();
            long written = effects.getOrDefault(job.getKey(), 0L);
            switch (row.state()) {
                case SUCCEEDED -> {
                    succeeded++;
                    assertThat(job.getValue()).describedAs("job %s succeeded", row.id()).isNotEqualTo(Mode.DOOMED);
                    assertThat(written).describedAs("rows written by succeeded job %s", row.id()).isEqualTo(1);
                }
                case FAILED -> {
                    dead++;
                    assertThat(job.getValue()).describedAs("job %s is dead: %s", row.id(), row.lastError()).isEqualTo(Mode.DOOMED);
                    assertThat(written).describedAs("rows written by dead job %s", row.id()).isZero();
                }
                case QUEUED -> {
                    queued++;
                    assertThat(written).isZero();
                }
                default -> throw new AssertionError("job " + row.id() + " is " + row.state());
            }
        }
        assertThat(succeeded + dead + queued).isEqualTo(expected.size());
        assertThat(effects.keySet()).describedAs("rows of jobs no committed transaction enqueued").allMatch(expected::containsKey);
        long orphans = sentinel.system(LOAD).inTransaction(tx -> tx.dsl().fetchValue(DSL.field("(select count(*) from"
                + " sentinel.audit_log a where a.entity_type like '%widgets' and a.action = 'insert' and not exists"
                + " (select 1 from widgets w where w.tenant_id = a.tenant_id and w.id = a.entity_id))", Long.class)));
        assertThat(orphans).describedAs("audit rows of inserts that did not commit").isZero();
        return new JobCounts(expected.size(), inDoubtCommitted, succeeded, dead, queued);
    }

    // -------------------------------------------------------------------------- numbering, audit

    private int countersChecked;

    private void checkNumbering() {
        List<Record> counters = sentinel.system(LOAD).inTransaction(tx -> tx.dsl().resultQuery(
                "select tenant_id, series, period, last_value from sentinel.number_counters"
                        + " where series like 'agency.invoices:%' order by 1, 2, 3").fetch());
        long total = 0;
        for (Record counter : counters) {
            UUID tenant = counter.get("tenant_id", UUID.class);
            // The agency's counters are named agency.invoices:<series> in the kernel's table.
            String series = counter.get("series", String.class).substring("agency.invoices:".length());
            // Invoices count per series and year: the counter's period is the year.
            int year = Integer.parseInt(counter.get("period", String.class));
            int last = counter.get("last_value", Long.class).intValue();
            List<Integer> numbers = sentinel.tenant(tenant, LOAD).inTransaction(tx -> tx.dsl().resultQuery(
                    "select sequence_number from agency.invoices where series = ? and sequence_year = ?"
                            + " and sequence_number is not null order by 1", series, year).fetch(0, Integer.class));
            List<Integer> oneToN = java.util.stream.IntStream.rangeClosed(1, last).boxed().toList();
            assertThat(numbers).describedAs("numbers of %s %d of tenant %s", series, year, tenant).isEqualTo(oneToN);
            GapReport report = sentinel.tenant(tenant, LOAD).inTransaction(tx -> tx.attach(Invoices.class).gapReport(series, year));
            assertThat(report.isComplete()).describedAs("gap report %s", report).isTrue();
            assertThat(report.lastNumber()).isEqualTo(last);
            assertThat(report.issuedCount()).isEqualTo(last);
            total += last;
        }
        countersChecked = counters.size();
        assertThat(total).describedAs("numbers issued: at least the committed issues, at most those plus the ones in doubt")
                .isBetween(issued.get(), issued.get() + issuesInDoubt.get());
    }

    /** Seals every tenant's trail and verifies it; returns the number of audit rows covered. */
    private long checkAuditChains() throws InterruptedException {
        AuditChain chain = sentinel.auditChain();
        long rows = 0;
        for (UUID tenant : tenants) {
            long count = sentinel.tenant(tenant, LOAD).inTransaction(tx -> (long) tx.dsl().fetchCount(DSL.table("sentinel.audit_log")));
            long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            ChainVerification verification = chain.verify(tenant);
            // The background sealer may hold the tenant right now (seal then adds nothing): seal until covered.
            while (verification.verifiedLinks() < count && System.nanoTime() < giveUp) {
                chain.seal(tenant);
                verification = chain.verify(tenant);
                if (verification.verifiedLinks() < count) {
                    Thread.sleep(50);
                }
            }
            assertThat(verification.intact()).describedAs("audit chain of tenant %s: %s", tenant, verification.problem()).isTrue();
            assertThat(verification.verifiedLinks()).describedAs("audit rows of tenant %s sealed", tenant).isEqualTo(count);
            rows += count;
        }
        return rows;
    }

    // ------------------------------------------------------------------------------- the killer

    /** About once a {@link #KILL_EVERY}, terminates a random backend of the application role, preferring busy ones. */
    private void killBackends() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop) {
            try {
                Thread.sleep(KILL_EVERY.toMillis() / 2 + random.nextLong(KILL_EVERY.toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            if (stop) {
                return;
            }
            try (Connection admin = db.adminDataSource().getConnection();
                    PreparedStatement pick = admin.prepareStatement("select pid, state, query from pg_stat_activity"
                            + " where datname = current_database() and usename = ? order by state = 'idle', random() limit 1")) {
                pick.setString(1, db.roles().app());
                try (ResultSet victim = pick.executeQuery()) {
                    if (!victim.next()) {
                        continue;
                    }
                    int pid = victim.getInt(1);
                    String what = describe(victim.getString(2), victim.getString(3));
                    try (PreparedStatement kill = admin.prepareStatement("select pg_terminate_backend(?)")) {
                        kill.setInt(1, pid);
                        try (ResultSet done = kill.executeQuery()) {
                            if (done.next() && done.getBoolean(1)) {
                                kills.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                synchronized (unexpected) {
                    unexpected.add(e);
                }
                return;
            }
        }
    }

    /** What a killed backend was doing, in a word. */
    private static String describe(String state, String query) {
        if ("idle".equals(state)) {
            return "idle in the pool";
        }
        String sql = query == null ? "" : query.toLowerCase(java.util.Locale.ROOT);
        if (sql.contains("with recursive tenants")) {
            return "claim";
        }
        if (sql.contains("set lease_expires_at = now() + make_interval")) {
            return "heartbeat";
        }
        if (sql.contains("audit_chain") || sql.contains("pg_snapshot_xmin")) {
            return "sealer";
        }
        return "idle in transaction".equals(state) ? "between statements" : "in a statement";
    }
}
