package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker pool: many jobs exactly once, tenant-scoped handlers, retries, snooze, lease takeover, shutdown. */
class JobWorkersTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final int JOBS = 20_000;
    private static final int TENANTS = 5;

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(14).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** Waits for a condition the workers bring about; the bound only keeps a broken build from hanging. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting for " + what + "; stats: " + sentinel.jobQueue().stats());
            }
            Thread.sleep(50);
        }
    }

    private static Job get(UUID tenant, UUID id) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().get(id).orElseThrow());
    }

    @Test
    void eightWorkersRunTwentyThousandJobsOfSeveralTenantsEachExactlyOnce() throws InterruptedException {
        List<UUID> tenants = new ArrayList<>();
        long enqueueStart = System.nanoTime();
        for (int t = 0; t < TENANTS; t++) {
            UUID tenant = Tenants.create(sentinel);
            tenants.add(tenant);
            sentinel.tenant(tenant, APP).useTransaction(tx -> {
                for (int i = 0; i < JOBS / TENANTS; i++) {
                    tx.jobs().enqueue("bulk.touch", "{\"i\": " + i + "}", JobOptions.defaults().queue("bulk"));
                }
            });
        }
        long enqueued = System.nanoTime();

        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        Set<String> wrongScope = ConcurrentHashMap.newKeySet();
        JobHandler handler = (tx, job) -> {
            runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            String setting = String.valueOf(tx.dsl().fetchValue("select current_setting('sentinel.tenant_id')"));
            if (!job.tenantId().equals(tx.tenantId().orElse(null)) || !job.tenantId().toString().equals(setting)) {
                wrongScope.add(job.id() + " ran in " + setting);
            }
            return JobOutcome.done("{\"ok\": true}");
        };
        // Two pools of four, as two service instances would run them: eight workers claiming concurrently.
        List<JobWorkers> pools = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            pools.add(JobWorkers.builder(sentinel).workerId("instance-" + p).handler("bulk.touch", handler)
                    .queue("bulk", 4).pollInterval(Duration.ofMillis(20)).start());
        }
        try {
            await("all jobs to succeed", () -> sentinel.jobQueue().stats().count("bulk", JobState.SUCCEEDED) == JOBS);
        } finally {
            pools.forEach(JobWorkers::close);
        }
        long done = System.nanoTime();
        System.out.printf("JobWorkersTest: enqueued %d jobs in %d ms, ran them with 8 workers in %d ms%n",
                JOBS, (enqueued - enqueueStart) / 1_000_000, (done - enqueued) / 1_000_000);

        assertThat(wrongScope).describedAs("handlers run in their job's tenant scope").isEmpty();
        assertThat(runs).hasSize(JOBS);
        assertThat(runs.values()).describedAs("each job's handler ran once").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        JobStats stats = sentinel.jobQueue().stats();
        assertThat(stats.counts().get("bulk")).containsOnlyKeys(JobState.SUCCEEDED);
        long perTenant = sentinel.system(APP).inTransaction(tx -> ((Number) tx.dsl().fetchValue(
                "select count(distinct tenant_id) from sentinel.jobs where queue = 'bulk' and state = 'succeeded'"
                        + " and attempts = 1 and result = '{\"ok\": true}'::jsonb")).longValue());
        assertThat(perTenant).isEqualTo(TENANTS);
    }

    @Test
    void failingJobsAreRetriedThenDeadAndSnoozedJobsRunAgainWithoutUsingAnAttempt() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        UUID failing = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("flaky.fail", "{}", JobOptions.defaults().queue("outcomes").maxAttempts(3)).job().id());
        UUID snoozing = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("flaky.snooze", "{}", JobOptions.defaults().queue("outcomes").maxAttempts(1)).job().id());
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger snoozes = new AtomicInteger();
        try (JobWorkers workers = JobWorkers.builder(sentinel)
                .handler("flaky.fail", (tx, job) -> {
                    failures.incrementAndGet();
                    // Written in the handler's transaction, so rolled back with the failure.
                    tx.jobs().enqueue("flaky.side_effect", "{}", JobOptions.defaults().queue("side"));
                    throw new IllegalStateException("attempt " + job.attempts() + " failed");
                })
                .handler("flaky.snooze", (tx, job) -> snoozes.incrementAndGet() < 3
                        ? JobOutcome.snooze(Duration.ofMillis(1)) : JobOutcome.done())
                .queue("outcomes", 2)
                .pollInterval(Duration.ofMillis(20))
                .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 0.5))
                .start()) {
            await("the failing job to be dead", () -> get(tenant, failing).state() == JobState.FAILED);
            await("the snoozed job to succeed", () -> get(tenant, snoozing).state() == JobState.SUCCEEDED);
        }
        Job dead = get(tenant, failing);
        assertThat(failures.get()).isEqualTo(3);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).contains("IllegalStateException: attempt 3 failed");
        assertThat(sentinel.jobQueue().stats().counts()).doesNotContainKey("side");
        assertThat(snoozes.get()).isEqualTo(3);
        assertThat(get(tenant, snoozing).attempts()).describedAs("two snoozes used no attempt of the one allowed").isEqualTo(1);
        List<dev.sentinel.core.audit.AuditEntry> deadEntries = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.audit().list(
                dev.sentinel.core.audit.AuditFilter.all().action("jobs.dead").entity("jobs", failing), 10).entries());
        assertThat(deadEntries).hasSize(1);
    }

    @Test
    void aJobWhoseWorkerStoppedHeartbeatingRunsAgainAndTheOldCompletionIsRefused() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        UUID id = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("lease.takeover", "{}", JobOptions.defaults().queue("takeover")).job().id());
        // A worker claims the job, then hangs: it never heartbeats, so its 1 ms lease lapses.
        ClaimedJob hung = sentinel.jobQueue().claim("takeover", List.of(), "hung-worker", 1, Duration.ofMillis(1)).get(0);

        AtomicInteger runs = new AtomicInteger();
        try (JobWorkers workers = JobWorkers.builder(sentinel).workerId("rescuing-worker")
                .handler("lease.takeover", (tx, job) -> {
                    runs.incrementAndGet();
                    return JobOutcome.done("{\"by\": \"rescuer\"}");
                })
                .queue("takeover", 1).pollInterval(Duration.ofMillis(20))
                .lease(Duration.ofSeconds(30)).rescueEvery(Duration.ofMillis(20))
                .start()) {
            await("the job to run again", () -> get(tenant, id).state() == JobState.SUCCEEDED);
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(get(tenant, id).attempts()).isEqualTo(2);
        assertThatThrownBy(() -> sentinel.jobQueue().complete(hung.lease(), "{\"by\": \"hung\"}"))
                .isInstanceOf(LeaseLostException.class);
        assertThat(get(tenant, id).result()).isEqualTo("{\"by\": \"rescuer\"}");
    }

    @Test
    void shutdownStopsClaimingAndReleasesJobsThatDidNotFinishInTime() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        UUID slow = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("slow.job", "{}", JobOptions.defaults().queue("shutdown")).job().id());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        JobWorkers workers = JobWorkers.builder(sentinel)
                .handler("slow.job", (tx, job) -> {
                    started.countDown();
                    never.await();
                    return JobOutcome.done();
                })
                .queue("shutdown", 1).pollInterval(Duration.ofMillis(20)).start();
        started.await();
        int released = workers.shutdown(Duration.ofMillis(100));
        assertThat(released).isEqualTo(1);
        assertThat(workers.isRunning()).isFalse();

        Job job = get(tenant, slow);
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.attempts()).describedAs("a released attempt is not counted").isZero();
        UUID later = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("slow.job", "{}", JobOptions.defaults().queue("shutdown")).job().id());
        assertThat(get(tenant, later).state()).describedAs("a stopped pool claims nothing").isEqualTo(JobState.QUEUED);
    }

    @Test
    void aWrongConfigurationIsRefusedWithItsName() {
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).queue("default", 1).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).handler("a.b", (tx, job) -> JobOutcome.done())
                .queue("default", 0).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).handler("a.b", (tx, job) -> JobOutcome.done())
                .queue("default", 1).lease(Duration.ofSeconds(1)).heartbeatEvery(Duration.ofSeconds(2)).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("heartbeatEvery");
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).handler("a.b", (tx, job) -> JobOutcome.done())
                .queue("default", 1).handlerOptions(dev.sentinel.core.TxOptions.defaults().withReadOnly()).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("handlerOptions");
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).handler("a.b", (tx, job) -> JobOutcome.done())
                .queue("default", 1).handlerOptions(dev.sentinel.core.TxOptions.defaults().withRequestId("one-for-all")).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("request id");
    }
}
