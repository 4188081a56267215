package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConnectionLostException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.StatementTimeoutException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.internal.WorkerPool;
import dev.sentinel.core.jobs.Backoff;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobHandler;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.support.Backends;
import dev.sentinel.core.support.CrashablePostgres;
import dev.sentinel.core.support.LogCapture;
import dev.sentinel.core.support.QuietLogs;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into running job workers, whose handlers do real work: each writes an audited
 * row (a widget named {@code <job id>/<attempt>/<random>}) in the job's transaction, which is also
 * the transaction that completes the job, and counts its runs in memory, as an effect outside the
 * database would be. Injected: a worker's backend terminated mid-job (at three points of the
 * handler); a claim, a heartbeat and a completion terminated while they wait; a handler hitting its
 * statement timeout; handlers throwing (unchecked, checked, an {@code Error}, a swallowed database
 * error); a handler outliving its lease; and PostgreSQL crashing twice while workers drain a queue
 * that is still being filled. Each test checks what a service relies on: no job enqueued by a
 * committed transaction is lost; each finishes (succeeded or dead) once; a succeeded job's row is
 * there exactly once and a failed attempt's never, with its audit row likewise; the handler ran at
 * least once; the same worker pool recovers by itself; the errors are Sentinel's typed exceptions;
 * and no job is left claimed. The counts are printed after the class.
 */
class JobFaultsTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor APP = Actor.service("app");
    /** Retries at once, so that tests wait for nothing. */
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(20), 0.5);
    private static final String POOL_LOGGER = WorkerPool.class.getName();

    /** Faults injected, by kind, across the class. */
    private static final Map<String, AtomicInteger> FAULTS = new ConcurrentSkipListMap<>();
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static final AtomicInteger RERUNS = new AtomicInteger();

    private static Sentinel sentinel;
    /** HikariCP warns, with a stack trace, about every connection these tests break on purpose. */
    private static QuietLogs quiet;

    @BeforeAll
    static void start() {
        quiet = QuietLogs.errorsOnly("com.zaxxer.hikari");
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(12).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
        quiet.close();
        int faults = FAULTS.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.println("JobFaultsTest: " + faults + " faults injected into running job workers ("
                + FAULTS.entrySet().stream().map(e -> e.getValue().get() + " " + e.getKey()).collect(Collectors.joining(", "))
                + "); " + JOBS.get() + " jobs, each finished exactly once (succeeded, or dead after its last attempt), none lost,"
                + " none left claimed; " + RERUNS.get() + " handler re-runs; every succeeded job's row written exactly once,"
                + " no failed attempt's row or audit row left");
    }

    private static void fault(String kind) {
        FAULTS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    // ------------------------------------------------------------------ a backend terminated mid-job

    /** Where the handler's backend dies, on the job's first attempt. */
    enum KillPoint {
        BEFORE_ANY_WRITE, AFTER_A_WRITE, AFTER_TWO_WRITES
    }

    @Test
    void aBackendTerminatedMidJobFailsThatAttemptWithNoWriteLeftAndTheJobRunsAgain() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        Map<UUID, KillPoint> points = new LinkedHashMap<>();
        for (KillPoint point : KillPoint.values()) {
            for (int i = 0; i < 4; i++) {
                points.put(enqueue(tenant, "faults.killed", "killed", 3), point);
            }
        }
        Runs runs = new Runs();
        Map<UUID, String> seen = new ConcurrentHashMap<>();
        JobHandler handler = (tx, job) -> {
            runs.count(job);
            if (job.attempts() == 1) {
                int pid = Backends.pid(tx);
                KillPoint point = points.get(job.id());
                if (point != KillPoint.BEFORE_ANY_WRITE) {
                    sideEffect(tx, job);
                }
                if (point == KillPoint.AFTER_TWO_WRITES) {
                    sideEffect(tx, job);
                }
                terminate(pid);
                fault("backends terminated mid-job");
                try {
                    sideEffect(tx, job);
                } catch (RuntimeException e) {
                    seen.put(job.id(), e.getClass().getName());
                    throw e;
                }
                throw new AssertionError("the terminated backend still answered");
            }
            sideEffect(tx, job);
            return JobOutcome.done();
        };
        try (JobWorkers workers = workers("killed", 4).handler("faults.killed", handler).start()) {
            awaitFinished(tenant, points.keySet());
            assertThat(workers.isRunning()).isTrue();
        }
        assertThat(seen).describedAs("what the handler saw when its backend was gone").hasSize(points.size())
                .allSatisfy((id, type) -> assertThat(type).isEqualTo(ConnectionLostException.class.getName()));
        for (UUID id : points.keySet()) {
            Job job = job(tenant, id);
            assertThat(job.state()).describedAs("job killed %s", points.get(id)).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(2);
            assertThat(job.lastError()).startsWith(ConnectionLostException.class.getName());
            assertThat(job.leaseOwner()).isNull();
        }
        assertExactlyOnce(points.keySet(), runs, Set.of());
    }

    // ------------------------------------------------- a claim, a heartbeat and a completion killed

    @Test
    void aClaimAHeartbeatAndACompletionKilledWhileTheyWaitAreTypedErrorsAndThePoolCarriesOn() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        UUID first = enqueue(tenant, "faults.waiting", "waiting", 3);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Runs runs = new Runs();
        JobHandler handler = (tx, job) -> {
            runs.count(job);
            sideEffect(tx, job);
            if (job.id().equals(first) && job.attempts() == 1) {
                started.countDown();
                proceed.await();
            }
            return JobOutcome.done();
        };
        UUID second;
        try (LogCapture log = LogCapture.of(POOL_LOGGER);
                JobWorkers workers = workers("waiting", 2).handler("faults.waiting", handler)
                        .lease(Duration.ofSeconds(30)).heartbeatEvery(Duration.ofMillis(100)).start()) {
            assertThat(started.await(2, TimeUnit.MINUTES)).isTrue();
            // Table locks make the poller's next claim (sentinel.claim_jobs, whose first read is of the
            // round robin) and the running job's next heartbeat (a write to sentinel.jobs) wait at their
            // start: they then sit in pg_stat_activity, to be killed.
            try (Connection lock = lockTable("sentinel.job_tenant_queues", "access exclusive")) {
                terminate(awaitWaiting("sentinel.claim_jobs("));
                fault("claims terminated");
                lock.rollback();
            }
            OffsetDateTime leaseAtKill;
            try (Connection lock = lockJobsTable()) {
                terminate(awaitWaiting("set lease_expires_at = now() + make_interval"));
                fault("heartbeats terminated");
                leaseAtKill = leaseExpiry(lock, first);
                lock.rollback();
            }
            awaitCondition("a heartbeat after the killed one", () -> leaseExpiry(first).isAfter(leaseAtKill));
            second = enqueue(tenant, "faults.waiting", "waiting", 3);
            awaitFinished(tenant, Set.of(second));

            try (Connection lock = lockJobsTable()) {
                proceed.countDown();
                // The completion's text: one statement outside Citus (V40), sentinel.complete_job on Citus.
                terminate(awaitWaiting(ClusterCheck.isCitus(db.adminDataSource())
                        ? "select sentinel.complete_job(" : "select sentinel.job_lease_lost("));
                fault("completions terminated");
                lock.rollback();
            }
            awaitFinished(tenant, Set.of(first));
            assertThat(workers.isRunning()).isTrue();

            assertThat(log.containing("Claiming jobs from queue waiting failed")).describedAs("the killed claim, logged")
                    .isNotEmpty().allSatisfy(e -> assertThat(e.thrown()).isEqualTo(ConnectionLostException.class.getName()));
            assertThat(log.containing("Heartbeat of job " + first + " failed")).describedAs("the killed heartbeat, logged")
                    .isNotEmpty().allSatisfy(e -> assertThat(e.thrown()).isEqualTo(ConnectionLostException.class.getName()));
        }
        Job done = job(tenant, first);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempts()).describedAs("the killed completion cost one attempt").isEqualTo(2);
        assertThat(done.lastError()).startsWith(ConnectionLostException.class.getName());
        assertThat(job(tenant, second).attempts()).describedAs("a killed claim costs no attempt").isEqualTo(1);
        assertExactlyOnce(Set.of(first, second), runs, Set.of());
    }

    // ----------------------------------------------------------------------------- statement timeout

    @Test
    void aHandlerHittingItsStatementTimeoutFailsThatAttemptWithStatementTimeoutException() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ids.add(enqueue(tenant, "faults.slow", "slow", 3));
        }
        Runs runs = new Runs();
        Map<UUID, String> seen = new ConcurrentHashMap<>();
        JobHandler handler = (tx, job) -> {
            runs.count(job);
            sideEffect(tx, job);
            if (job.attempts() == 1) {
                fault("statement timeouts");
                try {
                    tx.dsl().execute("select pg_sleep(60)");
                } catch (RuntimeException e) {
                    seen.put(job.id(), e.getClass().getName());
                    throw e;
                }
            }
            return JobOutcome.done();
        };
        try (JobWorkers workers = workers("slow", 4).handler("faults.slow", handler)
                .handlerOptions(TxOptions.defaults().withStatementTimeout(Duration.ofSeconds(1))).start()) {
            awaitFinished(tenant, ids);
        }
        assertThat(seen).hasSize(ids.size())
                .allSatisfy((id, type) -> assertThat(type).isEqualTo(StatementTimeoutException.class.getName()));
        for (UUID id : ids) {
            Job job = job(tenant, id);
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(job.lastError()).startsWith(StatementTimeoutException.class.getName());
        }
        assertExactlyOnce(ids, runs, Set.of());
    }

    // ------------------------------------------------------------------------------ handlers throwing

    /** How a handler fails. */
    enum Failure {
        /** An unchecked exception on every attempt: the job ends dead. */
        ALWAYS,
        /** A checked exception on the first attempt. */
        CHECKED_ONCE,
        /** An {@code Error} on the first attempt. */
        ERROR_ONCE,
        /** A database error the handler catches and ignores on the first attempt; PostgreSQL then refuses the rest of the transaction. */
        SWALLOWED_ONCE
    }

    @Test
    void aThrowingHandlerRollsBackItsWritesAndIsRetriedThenDeadWithTheErrorKept() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        Map<UUID, Failure> failures = new LinkedHashMap<>();
        for (Failure failure : Failure.values()) {
            for (int i = 0; i < 3; i++) {
                failures.put(enqueue(tenant, "faults.throwing", "throwing", 3), failure);
            }
        }
        Runs runs = new Runs();
        JobHandler handler = (tx, job) -> {
            runs.count(job);
            WidgetsRecord written = sideEffect(tx, job);
            Failure failure = failures.get(job.id());
            if (failure == Failure.ALWAYS || job.attempts() == 1) {
                fault("handler exceptions");
                switch (failure) {
                    case ALWAYS -> throw new IllegalStateException("attempt " + job.attempts() + " failed");
                    case CHECKED_ONCE -> throw new IOException("the mail server refused");
                    case ERROR_ONCE -> throw new AssertionError("a bug in the handler");
                    case SWALLOWED_ONCE -> {
                        try {
                            tx.table(WIDGETS).insert(new WidgetsRecord().setName(written.getName()));
                        } catch (UniqueViolationException ignored) {
                            // A handler that carries on after a database error: the completion must not commit.
                        }
                    }
                }
            }
            return JobOutcome.done();
        };
        try (JobWorkers workers = workers("throwing", 4).handler("faults.throwing", handler).start()) {
            awaitFinished(tenant, failures.keySet());
        }
        Set<UUID> dead = new HashSet<>();
        for (Map.Entry<UUID, Failure> entry : failures.entrySet()) {
            Job job = job(tenant, entry.getKey());
            switch (entry.getValue()) {
                case ALWAYS -> {
                    assertThat(job.state()).isEqualTo(JobState.FAILED);
                    assertThat(job.attempts()).isEqualTo(3);
                    assertThat(job.lastError()).startsWith("java.lang.IllegalStateException: attempt 3 failed");
                    List<AuditEntry> deadEntries = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.audit().list(
                            AuditFilter.all().action("jobs.dead").entity("jobs", job.id()), 10).entries());
                    assertThat(deadEntries).describedAs("jobs.dead in the tenant's trail").hasSize(1);
                    dead.add(job.id());
                }
                case CHECKED_ONCE -> assertRetriedOnce(job, "java.io.IOException: the mail server refused");
                case ERROR_ONCE -> assertRetriedOnce(job, "java.lang.AssertionError: a bug in the handler");
                // The completion after the ignored error fails: PostgreSQL aborted the transaction (25P02).
                case SWALLOWED_ONCE -> assertRetriedOnce(job, DatabaseException.class.getName() + ": ");
            }
        }
        assertExactlyOnce(failures.keySet(), runs, dead);
    }

    private static void assertRetriedOnce(Job job, String error) {
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.lastError()).startsWith(error);
    }

    // ---------------------------------------------------------------------- a handler outlives its lease

    @Test
    void aHandlerThatOutlivesItsLeaseIsFencedOffAndTheRunThatReplacedItKeepsItsLease() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        UUID id = enqueue(tenant, "faults.stalled", "stalled", 3);
        Runs runs = new Runs();
        CountDownLatch secondRun = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        JobHandler handler = (tx, job) -> {
            int run = runs.count(job);
            sideEffect(tx, job);
            if (run == 1) {
                // This run stalls past its lease, as a long GC pause or a frozen VM would make it. Rather
                // than waiting a lease length without heartbeats, the lease's expiry is moved into the
                // past; the pool's own rescuer then requeues the job and the same pool claims it again
                // while this run still holds its open transaction.
                fault("leases outlived");
                // (Read over the admin connection: a scope of another actor cannot open inside this transaction.)
                awaitCondition("the job to be claimed again", () -> {
                    expireFirstLease(id);
                    return "running/2".equals(stateAndAttempts(id));
                });
                return JobOutcome.done(); // refused by the fence: this transaction rolls back
            }
            if (run == 2) {
                secondRun.countDown();
                never.await(); // still running at shutdown
            }
            return JobOutcome.done();
        };
        try (LogCapture log = LogCapture.of(POOL_LOGGER)) {
            JobWorkers workers = workers("stalled", 2).handler("faults.stalled", handler)
                    .lease(Duration.ofMinutes(1)).heartbeatEvery(Duration.ofSeconds(20)).rescueEvery(Duration.ofMillis(50)).start();
            try {
                assertThat(secondRun.await(2, TimeUnit.MINUTES)).isTrue();
                String refusal = "no longer holds the lease on job " + id;
                awaitCondition("the first run's completion to be refused", () -> !log.containing(refusal).isEmpty());
                assertThat(log.containing(refusal)).describedAs("the late completion, refused by the fence").hasSize(1);
            } finally {
                // The second run still holds a lease this pool keeps: shutdown gives the job back.
                int released = workers.shutdown(Duration.ofMillis(200));
                assertThat(released).describedAs("the run that replaced the stalled one is released at shutdown").isEqualTo(1);
            }
        }
        Job afterShutdown = job(tenant, id);
        assertThat(afterShutdown.state()).describedAs("nothing is left claimed").isEqualTo(JobState.QUEUED);
        assertThat(afterShutdown.attempts()).describedAs("the lapsed attempt counts, the released one does not").isEqualTo(1);
        assertThat(afterShutdown.lastError()).contains("expired");

        try (JobWorkers again = workers("stalled", 1).handler("faults.stalled", handler).start()) {
            awaitFinished(tenant, Set.of(id));
        }
        assertThat(job(tenant, id).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(runs.of(id)).isEqualTo(3);
        assertExactlyOnce(Set.of(id), runs, Set.of());
    }

    // ------------------------------------------------------------------ PostgreSQL crashes while draining

    @Test
    void postgresCrashingWhileWorkersDrainLosesNoCommittedJobAndFinishesEachOnce(@TempDir Path scratch) throws Exception {
        int crashes = 2;
        try (CrashablePostgres server = CrashablePostgres.start(scratch.resolve("data"), "job_faults");
                LogCapture log = LogCapture.of(POOL_LOGGER);
                Sentinel crashing = Sentinel.builder()
                        .jdbcUrl(server.jdbcUrl(), CrashablePostgres.ROLES.app(), CrashablePostgres.PASSWORD)
                        .systemDataSource(server.dataSource(CrashablePostgres.ROLES.system()))
                        .maximumPoolSize(10)
                        .migrateWith(server.dataSource(CrashablePostgres.ROLES.owner()))
                        .serviceMigrations("classpath:db/test-service")
                        .build()) {
            String synchronousCommit = crashing.system(APP).inTransaction(tx -> tx.dsl().fetchValue(
                    DSL.field("current_setting('synchronous_commit')", String.class)));
            assertThat(synchronousCommit).isEqualTo("on");
            List<UUID> tenants = List.of(Tenants.create(crashing), Tenants.create(crashing), Tenants.create(crashing));
            Set<UUID> committed = ConcurrentHashMap.newKeySet();
            Set<UUID> lostBeforeCommit = ConcurrentHashMap.newKeySet();
            Set<UUID> inDoubt = ConcurrentHashMap.newKeySet();
            for (UUID tenant : tenants) {
                committed.addAll(crashing.tenant(tenant, APP).inTransaction(tx -> {
                    List<UUID> ids = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        ids.add(tx.jobs().enqueue("faults.drained", "{}", JobOptions.defaults().queue("drain").maxAttempts(10)).job().id());
                    }
                    return ids;
                }));
            }
            Runs runs = new Runs();
            AtomicLong completions = new AtomicLong();
            JobHandler handler = (tx, job) -> {
                runs.count(job);
                sideEffect(tx, job);
                tx.dsl().execute("select pg_sleep(0.005)");
                tx.afterCommit(completions::incrementAndGet);
                return JobOutcome.done();
            };
            AtomicLong enqueued = new AtomicLong();
            List<Throwable> unexpected = new ArrayList<>();
            CountDownLatch stopEnqueuing = new CountDownLatch(1);
            // Enqueues one job per transaction until told to stop; a lost connection leaves the job
            // certainly absent (before COMMIT) or in doubt (during COMMIT).
            Thread enqueuer = new Thread(() -> {
                while (stopEnqueuing.getCount() > 0) {
                    UUID tenant = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
                    UUID[] id = new UUID[1];
                    try {
                        crashing.tenant(tenant, APP).useTransaction(tx -> id[0] = tx.jobs().enqueue("faults.drained", "{}",
                                JobOptions.defaults().queue("drain").maxAttempts(10)).job().id());
                        committed.add(id[0]);
                        enqueued.incrementAndGet();
                    } catch (ConnectionLostException e) {
                        if (id[0] != null) {
                            (e.duringCommit() ? inDoubt : lostBeforeCommit).add(id[0]);
                        }
                    } catch (RuntimeException e) {
                        synchronized (unexpected) {
                            unexpected.add(e);
                        }
                        return;
                    }
                }
            }, "job-faults-enqueuer");
            List<JobWorkers> pools = new ArrayList<>();
            try {
                // Two instances of two workers each, with short leases so that jobs whose worker lost
                // the server are rescued soon after it is back.
                for (int p = 0; p < 2; p++) {
                    pools.add(JobWorkers.builder(crashing).workerId("crash-instance-" + p).handler("faults.drained", handler)
                            .queue("drain", 2).pollInterval(Duration.ofMillis(20)).lease(Duration.ofSeconds(2))
                            .heartbeatEvery(Duration.ofMillis(500)).rescueEvery(Duration.ofMillis(500)).backoff(QUICK).start());
                }
                enqueuer.start();
                for (int crash = 1; crash <= crashes; crash++) {
                    long completedBefore = completions.get();
                    long enqueuedBefore = enqueued.get();
                    awaitCondition("the workers to complete 60 jobs and the enqueuer to commit 30 on the current server",
                            () -> completions.get() >= completedBefore + 60 && enqueued.get() >= enqueuedBefore + 30);
                    server.crash();
                    fault("PostgreSQL crashes");
                    server.restart();
                }
                long completedBefore = completions.get();
                long enqueuedBefore = enqueued.get();
                awaitCondition("the same workers and enqueuer to commit again after the last restart",
                        () -> completions.get() >= completedBefore + 60 && enqueued.get() >= enqueuedBefore + 30);
                stopEnqueuing.countDown();
                enqueuer.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(enqueuer.isAlive()).isFalse();
                assertThat(unexpected).describedAs("enqueue failures other than a lost connection").isEmpty();
                awaitCondition("the queue to drain", () -> crashing.system(APP).inTransaction(tx -> tx.dsl().fetchCount(
                        DSL.table("sentinel.jobs"), DSL.field("state").in("queued", "running"))) == 0);
                assertThat(pools).allSatisfy(pool -> assertThat(pool.isRunning()).isTrue());
            } finally {
                stopEnqueuing.countDown();
                for (JobWorkers pool : pools) {
                    assertThat(pool.shutdown(Duration.ofSeconds(10))).describedAs("jobs left running at shutdown").isZero();
                }
            }

            Map<UUID, Job> rows = new HashMap<>();
            for (UUID tenant : tenants) {
                crashing.tenant(tenant, APP).useTransaction(tx -> {
                    for (JobState state : JobState.values()) {
                        tx.jobs().list(state, 1000).forEach(job -> rows.put(job.id(), job));
                    }
                });
            }
            assertThat(committed).describedAs("jobs enqueued by committed transactions but lost")
                    .allSatisfy(id -> assertThat(rows).containsKey(id));
            assertThat(lostBeforeCommit).describedAs("jobs of transactions that failed before COMMIT")
                    .allSatisfy(id -> assertThat(rows).doesNotContainKey(id));
            assertThat(rows.keySet()).describedAs("jobs that no enqueue reported or left in doubt")
                    .allSatisfy(id -> assertThat(committed.contains(id) || inDoubt.contains(id)).isTrue());
            assertThat(rows.values()).describedAs("every job finished")
                    .allSatisfy(job -> assertThat(job.state()).isIn(JobState.SUCCEEDED, JobState.FAILED));
            assertThat(rows.values().stream().map(Job::lastError).filter(e -> e != null).toList())
                    .describedAs("the errors attempts ended with: typed, or a lapsed lease")
                    .allSatisfy(error -> assertThat(error).matches("(?s)(dev\\.sentinel\\.core\\.ConnectionLostException|lease of ).*"));
            assertThat(log.events().stream().filter(e -> e.thrown() != null
                    && !e.thrown().equals(ConnectionLostException.class.getName())).map(e -> e.message() + "\n" + e.error()).toList())
                    .describedAs("errors other than ConnectionLostException met by the workers' claims, heartbeats and failure records")
                    .isEmpty();
            Set<UUID> dead = rows.values().stream().filter(job -> job.state() == JobState.FAILED).map(Job::id)
                    .collect(Collectors.toSet());
            Map<UUID, Long> effects = sideEffects(crashing);
            for (Job job : rows.values()) {
                assertThat(effects.getOrDefault(job.id(), 0L)).describedAs("rows of job %s (%s)", job.id(), job.state())
                        .isEqualTo(job.state() == JobState.SUCCEEDED ? 1L : 0L);
                if (job.state() == JobState.SUCCEEDED) {
                    assertThat(runs.of(job.id())).isGreaterThanOrEqualTo(1);
                }
            }
            assertThat(effects.keySet()).isSubsetOf(rows.keySet());
            assertThat(orphanAuditRows(crashing)).describedAs("audit rows of side effects that did not commit").isZero();
            long inDoubtCommitted = inDoubt.stream().filter(rows::containsKey).count();
            int reruns = runs.total() - (int) rows.keySet().stream().filter(id -> runs.of(id) > 0).count();
            JOBS.addAndGet(rows.size());
            RERUNS.addAndGet(reruns);
            System.out.println("JobFaultsTest: " + crashes + " PostgreSQL crashes (SIGKILL, synchronous_commit=on) while 4"
                    + " workers drained and a thread enqueued: " + rows.size() + " jobs (" + committed.size()
                    + " enqueued by committed transactions, all present; " + lostBeforeCommit.size() + " enqueues failed before"
                    + " COMMIT, none present; " + inDoubt.size() + " in doubt, " + inDoubtCommitted + " of them committed); "
                    + (rows.size() - dead.size()) + " succeeded with their row written once, " + dead.size() + " dead; "
                    + runs.total() + " handler runs (" + reruns + " re-runs); " + log.events().size()
                    + " claim, heartbeat and failure-record errors logged, all ConnectionLostException");
        }
    }

    // -------------------------------------------------------------------------------------- helpers

    /** Handler runs per job, counted in memory: what an effect outside the database would see. */
    private static final class Runs {
        private final Map<UUID, AtomicInteger> byJob = new ConcurrentHashMap<>();

        int count(Job job) {
            return byJob.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
        }

        int of(UUID id) {
            AtomicInteger n = byJob.get(id);
            return n == null ? 0 : n.get();
        }

        int total() {
            return byJob.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    private static JobWorkers.Builder workers(String queue, int concurrency) {
        return JobWorkers.builder(sentinel).workerId("faults-" + queue).queue(queue, concurrency)
                .pollInterval(Duration.ofMillis(20)).backoff(QUICK);
    }

    private static UUID enqueue(UUID tenant, String type, String queue, int maxAttempts) {
        return sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue(type, "{}", JobOptions.defaults().queue(queue).maxAttempts(maxAttempts)).job().id());
    }

    private static Job job(UUID tenant, UUID id) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().get(id).orElseThrow());
    }

    /** The handler's side effect in the job's transaction: an audited row named after the job. */
    private static WidgetsRecord sideEffect(Tx tx, Job job) {
        return tx.table(WIDGETS).insert(new WidgetsRecord()
                .setName(job.id() + "/" + job.attempts() + "/" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** Side-effect rows per job, across tenants. */
    private static Map<UUID, Long> sideEffects(Sentinel on) {
        return on.system(APP).inTransaction(tx -> tx.dsl().resultQuery("select split_part(name, '/', 1)::uuid as job, count(*) as n"
                + " from widgets where name like '%/%/%' group by 1").fetchMap(r -> r.get("job", UUID.class), r -> r.get("n", Long.class)));
    }

    /** Insert audit rows of widgets whose row does not exist: a side effect audited but rolled back would be one. */
    private static long orphanAuditRows(Sentinel on) {
        return on.system(APP).inTransaction(tx -> tx.dsl().fetchValue(DSL.field("(select count(*) from sentinel.audit_log a"
                + " where a.entity_type like '%widgets' and a.action = 'insert'"
                + " and not exists (select 1 from widgets w where w.tenant_id = a.tenant_id and w.id = a.entity_id))", Long.class)));
    }

    /**
     * What users rely on, per job: finished once, the row of a succeeded job exactly once and of a
     * dead one never, with one audit row per row and none for a rolled-back write; the handler ran
     * at least once; nothing left claimed.
     */
    private static void assertExactlyOnce(Set<UUID> ids, Runs runs, Set<UUID> dead) {
        Map<UUID, Long> effects = sideEffects(sentinel);
        for (UUID id : ids) {
            assertThat(effects.getOrDefault(id, 0L)).describedAs("rows written by job %s", id).isEqualTo(dead.contains(id) ? 0L : 1L);
            assertThat(runs.of(id)).describedAs("runs of job %s", id).isGreaterThanOrEqualTo(1);
        }
        assertThat(orphanAuditRows(sentinel)).describedAs("audit rows of side effects that did not commit").isZero();
        long running = sentinel.system(APP).inTransaction(tx -> tx.dsl().fetchCount(DSL.table("sentinel.jobs"),
                DSL.field("state").eq("running"), DSL.field("id").in(ids)));
        assertThat(running).describedAs("jobs left claimed").isZero();
        JOBS.addAndGet(ids.size());
        RERUNS.addAndGet(ids.stream().mapToInt(runs::of).sum() - ids.size());
    }

    private static void awaitFinished(UUID tenant, Set<UUID> ids) throws InterruptedException {
        awaitCondition("jobs to finish", () -> sentinel.tenant(tenant, APP).inTransaction(tx -> tx.dsl().fetchCount(
                DSL.table("sentinel.jobs"), DSL.field("id").in(ids), DSL.field("state").in("succeeded", "failed"))) == ids.size());
    }

    /** Waits for a condition the workers bring about; the bound only keeps a broken build from hanging. */
    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void terminate(int pid) {
        Backends.terminate(db, pid);
    }

    /** An open transaction holding {@code SHARE} on sentinel.jobs: reads go on, every write waits. */
    private static Connection lockJobsTable() throws SQLException {
        return lockTable("sentinel.jobs", "share");
    }

    /** An open transaction holding a table lock of the given mode. */
    private static Connection lockTable(String table, String mode) throws SQLException {
        Connection lock = db.adminDataSource().getConnection();
        lock.setAutoCommit(false);
        try (Statement statement = lock.createStatement()) {
            statement.execute("lock table " + table + " in " + mode + " mode");
        }
        return lock;
    }

    /** The backend of a runtime role (the application or the system role) waiting for a lock in a statement containing {@code text}. */
    private static int awaitWaiting(String text) throws InterruptedException {
        int[] pid = new int[1];
        awaitCondition("a statement with '" + text + "' waiting for the lock", () -> {
            try (Connection admin = db.adminDataSource().getConnection();
                    PreparedStatement query = admin.prepareStatement("select pid from pg_stat_activity where datname = current_database()"
                            + " and usename in (?, ?) and wait_event_type = 'Lock' and strpos(query, ?) > 0 limit 1")) {
                // Claims run on the system scope's pool, heartbeats in the job's tenant scope.
                query.setString(1, db.roles().app());
                query.setString(2, db.roles().system());
                query.setString(3, text);
                try (ResultSet found = query.executeQuery()) {
                    if (found.next()) {
                        pid[0] = found.getInt(1);
                        return true;
                    }
                    return false;
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        return pid[0];
    }

    private static OffsetDateTime leaseExpiry(UUID id) {
        try (Connection admin = db.adminDataSource().getConnection()) {
            return leaseExpiry(admin, id);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static OffsetDateTime leaseExpiry(Connection connection, UUID id) {
        try (PreparedStatement query = connection.prepareStatement("select lease_expires_at from sentinel.jobs where id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A job's state and attempts, as {@code state/attempts}, read over an admin connection. */
    private static String stateAndAttempts(UUID id) {
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement query = admin.prepareStatement("select state || '/' || attempts from sentinel.jobs where id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Moves the expiry of the job's first lease into the past, as a lease length without heartbeats would. */
    private static void expireFirstLease(UUID id) {
        try (Connection admin = db.adminDataSource().getConnection();
                PreparedStatement update = admin.prepareStatement("update sentinel.jobs set lease_expires_at = now() - interval '1 second'"
                        + " where id = ? and state = 'running' and attempts = 1")) {
            update.setObject(1, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
