package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.internal.ClusterCheck;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Enqueue (transactional, deduplicated, validated), claims, leases and their fence, the rescuer, and
 * the outcomes: succeed, fail with backoff, dead, retry, cancel, snooze. Each test uses its own queue
 * so claims do not see the other tests' jobs.
 */
class JobQueueTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    /** An admin of the tenant: cancelling and retrying by hand needs job:manage. */
    private static Actor ALICE;
    private static final Backoff HOUR = new Backoff(Duration.ofHours(1), Duration.ofHours(6), 0.2);

    private static Sentinel sentinel;
    private static JobQueue queue;
    private static UUID tenant;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(4).build();
        queue = sentinel.jobQueue();
        tenant = Tenants.create(sentinel);
        UUID alice = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create("alice-" + System.nanoTime() + "@example.com", "Alice").id());
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(alice, SeatType.PRO, "admin"));
        ALICE = Actor.user(alice);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static Job enqueue(String queueName, JobOptions options) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx ->
                tx.jobs().enqueue("mail.send", "{\"to\": \"a@example.com\"}", options.queue(queueName)).job());
    }

    private static Job get(UUID id) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().get(id).orElseThrow());
    }

    private static ClaimedJob claimOne(String queueName, String worker, Duration lease) {
        List<ClaimedJob> claimed = queue.claim(queueName, List.of(), worker, 1, lease);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private static List<AuditEntry> audit(String action, UUID jobId) {
        return sentinel.tenant(tenant, ALICE).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().action(action).entity("jobs", jobId), 10).entries());
    }

    /** Moves a queued job's run time to now, as if its backoff or snooze had passed. */
    private static void makeDue(UUID id) {
        sentinel.tenant(tenant, ALICE).useTransaction(tx ->
                tx.dsl().execute("update sentinel.jobs set run_at = now() where tenant_id = ? and id = ?", tenant, id));
    }

    @Test
    void aJobEnqueuedInARolledBackTransactionNeverExists() {
        UUID[] id = new UUID[1];
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> {
            id[0] = tx.jobs().enqueue("mail.send", "{}", JobOptions.defaults().queue("rollback")).job().id();
            throw new IllegalStateException("the request failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(id[0]).isNotNull();
        java.util.Optional<Job> found = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().get(id[0]));
        assertThat(found).isEmpty();
        assertThat(queue.claim("rollback", List.of(), "w1", 10, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void aDuplicateDedupeKeyReturnsTheLiveJobAndAFinishedOneNoLongerCounts() {
        JobOptions options = JobOptions.defaults().queue("dedupe").dedupeKey("invoice-42");
        Enqueued first = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().enqueue("mail.send", "{\"n\": 1}", options));
        Enqueued second = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().enqueue("mail.send", "{\"n\": 2}", options));
        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.job().id()).isEqualTo(first.job().id());
        assertThat(second.job().payload()).isEqualTo("{\"n\": 1}");

        ClaimedJob claimed = claimOne("dedupe", "w1", Duration.ofMinutes(1));
        Enqueued whileRunning = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().enqueue("mail.send", "{}", options));
        assertThat(whileRunning.duplicate()).describedAs("a running job still holds its key").isTrue();

        queue.complete(claimed.lease(), "{\"sent\": true}");
        Enqueued afterwards = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().enqueue("mail.send", "{}", options));
        assertThat(afterwards.duplicate()).isFalse();
        assertThat(afterwards.job().id()).isNotEqualTo(first.job().id());
        assertThat(get(first.job().id()).result()).isEqualTo("{\"sent\": true}");
    }

    @Test
    void aConcurrentEnqueueOfTheSameKeyWaitsForTheFirstAndReturnsItsJob() throws Exception {
        JobOptions options = JobOptions.defaults().queue("dedupe-race").dedupeKey("once");
        java.util.concurrent.CountDownLatch firstInserted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Enqueued> first = other.submit(() -> sentinel.tenant(tenant, ALICE).inTransaction(tx -> {
                Enqueued enqueued = tx.jobs().enqueue("mail.send", "{\"first\": true}", options);
                firstInserted.countDown();
                secondStarted.await(); // commit only once the second enqueue has been sent
                Thread.sleep(50); // give it time to reach the index and wait; the result does not depend on it
                return enqueued;
            }));
            firstInserted.await();
            Enqueued second = sentinel.tenant(tenant, ALICE).inTransaction(tx -> {
                secondStarted.countDown();
                return tx.jobs().enqueue("mail.send", "{\"second\": true}", options);
            });
            assertThat(first.get().duplicate()).isFalse();
            assertThat(second.duplicate()).isTrue();
            assertThat(second.job().id()).isEqualTo(first.get().job().id());
            assertThat(queue.stats().count("dedupe-race", JobState.QUEUED)).isEqualTo(1);
        } finally {
            other.shutdown();
        }
    }

    @Test
    void badInputIsATypedErrorAndWritesNothing() {
        for (String payload : new String[] {"[1, 2]", "{\"unclosed\": ", "\"text\"", null}) {
            assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx ->
                    tx.jobs().enqueue("mail.send", payload, JobOptions.defaults().queue("bad"))))
                    .describedAs("payload %s", payload)
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.jobs().enqueue("Mail Send", "{}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> JobOptions.defaults().priority(5000)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> JobOptions.defaults().queue("no spaces")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.system(ALICE).useTransaction(tx -> tx.jobs().enqueue("mail.send", "{}")))
                .isInstanceOf(MissingScopeException.class);
        assertThat(queue.stats().count("bad", JobState.QUEUED)).isZero();
        assertThat(queue.claim("bad", List.of(), "w1", 10, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void priorityThenDueTimeOrdersClaimsAndFutureJobsWait() {
        Job low = enqueue("order", JobOptions.defaults().priority(-5));
        Job high = enqueue("order", JobOptions.defaults().priority(50));
        Job later = enqueue("order", JobOptions.defaults().priority(100).runAt(OffsetDateTime.now().plusHours(1).toInstant()));

        List<ClaimedJob> claimed = queue.claim("order", List.of(), "w1", 10, Duration.ofMinutes(1));
        assertThat(claimed).extracting(c -> c.job().id()).containsExactly(high.id(), low.id());
        assertThat(claimed).allSatisfy(c -> {
            assertThat(c.job().state()).isEqualTo(JobState.RUNNING);
            assertThat(c.job().attempts()).isEqualTo(1);
            assertThat(c.lease().owner()).isEqualTo("w1");
            assertThat(c.lease().token()).isNotNull();
        });
        assertThat(get(later.id()).state()).isEqualTo(JobState.QUEUED);
        assertThat(queue.claim("order", List.of("other.type"), "w1", 10, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void aClaimDoesNotWaitForAnotherClaimMarkingTheSameTenantServed() throws Exception {
        assumeFalse(ClusterCheck.isCitus(db.adminDataSource()),
                "on Citus the claim locks tenant by tenant, in tenant order, and may wait there");
        Job job = enqueue("no-wait", JobOptions.defaults());
        // Another claim in flight holds the tenant's row of the round robin, as it marks it served.
        try (Connection other = db.adminDataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select 1 from sentinel.job_tenant_queues"
                    + " where tenant_id = ? and queue = 'no-wait' for update")) {
                lock.setObject(1, tenant);
                assertThat(lock.executeQuery().next()).isTrue();
            }
            // The bound only keeps a claim that waits for the lock from hanging the build.
            List<ClaimedJob> claimed = CompletableFuture.supplyAsync(() -> queue.claim("no-wait", List.of(), "w1", 10,
                    Duration.ofMinutes(1))).get(2, TimeUnit.MINUTES);
            assertThat(claimed).extracting(c -> c.job().id()).containsExactly(job.id());
            other.rollback();
        }
    }

    @Test
    void aWorkerThatStopsHeartbeatingLosesItsLeaseAndItsLateCompletionIsRefused() throws InterruptedException {
        Job job = enqueue("lease", JobOptions.defaults());
        ClaimedJob old = claimOne("lease", "old-worker", Duration.ofMillis(1));
        // The old worker stops heartbeating; its 1 ms lease lapses and the rescuer requeues the job.
        int rescued = 0;
        for (int i = 0; i < 2000 && rescued == 0; i++) {
            rescued = queue.rescueExpired();
            if (rescued == 0) {
                Thread.sleep(5);
            }
        }
        assertThat(rescued).isEqualTo(1);
        Job requeued = get(job.id());
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempts()).describedAs("the lapsed attempt counts").isEqualTo(1);
        assertThat(requeued.lastError()).contains("old-worker").contains("expired");

        assertThatThrownBy(() -> queue.heartbeat(old.lease(), Duration.ofMinutes(1))).isInstanceOf(LeaseLostException.class);

        ClaimedJob fresh = claimOne("lease", "new-worker", Duration.ofMinutes(1));
        assertThat(fresh.job().id()).isEqualTo(job.id());
        assertThat(fresh.job().attempts()).isEqualTo(2);
        assertThat(fresh.lease().token()).isNotEqualTo(old.lease().token());

        assertThatThrownBy(() -> queue.complete(old.lease(), "{}")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.fail(old.lease(), "late", HOUR)).isInstanceOf(LeaseLostException.class);
        // A late completion inside the old handler's transaction rolls back that handler's writes too.
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> {
            tx.jobs().enqueue("mail.followup", "{}", JobOptions.defaults().queue("lease-side-effect"));
            tx.jobs().complete(old.lease(), "{}");
        })).isInstanceOf(LeaseLostException.class);
        assertThat(queue.stats().count("lease-side-effect", JobState.QUEUED)).isZero();
        assertThat(get(job.id()).leaseOwner()).isEqualTo("new-worker");

        JobLease extended = queue.heartbeat(fresh.lease(), Duration.ofHours(1));
        assertThat(extended.expiresAt()).isAfter(fresh.lease().expiresAt());
        Job done = queue.complete(fresh.lease(), "{\"ok\": 1}");
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.leaseOwner()).isNull();
    }

    @Test
    void aLeaseThatLapsesOnTheLastAttemptMakesTheJobDead() throws InterruptedException {
        Job job = enqueue("lease-dead", JobOptions.defaults().maxAttempts(1));
        claimOne("lease-dead", "doomed", Duration.ofMillis(1));
        int rescued = 0;
        for (int i = 0; i < 2000 && rescued == 0; i++) {
            rescued = queue.rescueExpired();
            if (rescued == 0) {
                Thread.sleep(5);
            }
        }
        assertThat(rescued).isEqualTo(1);
        assertThat(get(job.id()).state()).isEqualTo(JobState.FAILED);
        assertThat(audit("jobs.dead", job.id())).hasSize(1);
    }

    @Test
    void failuresBackOffExponentiallyThenTheJobIsDeadListedAuditedAndRetryable() {
        Job job = enqueue("retries", JobOptions.defaults().maxAttempts(2));

        ClaimedJob first = claimOne("retries", "w1", Duration.ofMinutes(1));
        Job afterFirst = queue.fail(first.lease(), "smtp timeout", HOUR);
        assertThat(afterFirst.state()).isEqualTo(JobState.QUEUED);
        assertThat(afterFirst.attempts()).isEqualTo(1);
        assertThat(afterFirst.lastError()).isEqualTo("smtp timeout");
        assertThat(afterFirst.leaseOwner()).isNull();
        assertThat(afterFirst.runAt()).describedAs("pushed back by about an hour, less at most 20 % jitter")
                .isAfter(OffsetDateTime.now().plusMinutes(45));
        assertThat(queue.claim("retries", List.of(), "w1", 10, Duration.ofMinutes(1))).isEmpty();

        makeDue(job.id());
        ClaimedJob second = claimOne("retries", "w1", Duration.ofMinutes(1));
        assertThat(second.job().attempts()).isEqualTo(2);
        Job dead = queue.fail(second.lease(), "smtp refused", HOUR);
        assertThat(dead.state()).isEqualTo(JobState.FAILED);
        assertThat(dead.finishedAt()).isNotNull();
        assertThat(dead.lastError()).isEqualTo("smtp refused");

        assertThat(audit("jobs.dead", job.id())).singleElement().satisfies(entry -> {
            assertThat(entry.tenantId()).isEqualTo(tenant);
            assertThat(entry.actorLabel()).isEqualTo("jobs");
            assertThat(entry.message()).isEqualTo("smtp refused");
        });
        List<Job> deadLetters = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().list(JobState.FAILED, 100));
        assertThat(deadLetters).extracting(Job::id).contains(job.id());

        Job retried = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().retry(job.id()));
        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.attempts()).isZero();
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.lastError()).describedAs("kept for the record").isEqualTo("smtp refused");
        assertThat(audit("jobs.retry", job.id())).hasSize(1);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.jobs().retry(job.id())))
                .isInstanceOf(InvalidStateTransitionException.class);
        assertThat(claimOne("retries", "w1", Duration.ofMinutes(1)).job().id()).isEqualTo(job.id());
    }

    @Test
    void cancellationIsAuditedAndFencesOutTheRunningWorker() {
        Job queued = enqueue("cancel", JobOptions.defaults());
        Job running = enqueue("cancel", JobOptions.defaults().priority(1));
        ClaimedJob claimed = claimOne("cancel", "w1", Duration.ofMinutes(1));
        assertThat(claimed.job().id()).isEqualTo(running.id());

        Job cancelled = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().cancel(queued.id()));
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        Job cancelledRunning = sentinel.tenant(tenant, ALICE).inTransaction(tx -> tx.jobs().cancel(running.id()));
        assertThat(cancelledRunning.leaseOwner()).isNull();
        assertThatThrownBy(() -> queue.complete(claimed.lease(), null)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> sentinel.tenant(tenant, ALICE).useTransaction(tx -> tx.jobs().cancel(queued.id())))
                .isInstanceOf(InvalidStateTransitionException.class);

        assertThat(audit("jobs.cancel", queued.id())).singleElement().satisfies(entry -> {
            assertThat(entry.actorId()).isEqualTo(ALICE.userId().orElseThrow());
            assertThat(entry.meta()).contains("queued");
        });
        assertThat(audit("jobs.cancel", running.id())).singleElement()
                .satisfies(entry -> assertThat(entry.meta()).contains("running"));
    }

    @Test
    void anotherTenantNeitherSeesNorCancelsTheJob() {
        Job job = enqueue("isolation", JobOptions.defaults());
        UUID other = Tenants.create(sentinel);
        java.util.Optional<Job> seen = sentinel.tenant(other, ALICE).inTransaction(tx -> tx.jobs().get(job.id()));
        assertThat(seen).isEmpty();
        assertThatThrownBy(() -> sentinel.tenant(other, ALICE).useTransaction(tx -> tx.jobs().cancel(job.id())))
                .isInstanceOf(dev.sentinel.core.NotFoundException.class);
        assertThat(get(job.id()).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void snoozeRequeuesLaterWithoutUsingAnAttemptAndReleaseRequeuesNow() {
        Job job = enqueue("snooze", JobOptions.defaults().maxAttempts(1));
        ClaimedJob claimed = claimOne("snooze", "w1", Duration.ofMinutes(1));
        Job snoozed = queue.snooze(claimed.lease(), Duration.ofHours(2));
        assertThat(snoozed.state()).isEqualTo(JobState.QUEUED);
        assertThat(snoozed.attempts()).isZero();
        assertThat(snoozed.runAt()).isAfter(OffsetDateTime.now().plusMinutes(110));
        assertThat(queue.claim("snooze", List.of(), "w1", 10, Duration.ofMinutes(1))).isEmpty();

        makeDue(job.id());
        ClaimedJob again = claimOne("snooze", "w2", Duration.ofMinutes(1));
        assertThat(again.job().attempts()).describedAs("its single attempt is still available").isEqualTo(1);
        Job released = queue.release(again.lease());
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(claimOne("snooze", "w3", Duration.ofMinutes(1)).job().id()).isEqualTo(job.id());
    }

    @Test
    void statsCountByQueueAndStateAndAgeTheOldestDueJob() {
        enqueue("stats", JobOptions.defaults());
        enqueue("stats", JobOptions.defaults());
        enqueue("stats", JobOptions.defaults().runAt(OffsetDateTime.now().plusDays(1).toInstant()));
        claimOne("stats", "w1", Duration.ofMinutes(1)).lease();

        JobStats stats = queue.stats();
        assertThat(stats.count("stats", JobState.QUEUED)).isEqualTo(2);
        assertThat(stats.count("stats", JobState.RUNNING)).isEqualTo(1);
        assertThat(stats.oldestDueAge()).containsKey("stats");
        assertThat(stats.oldestDueAge().get("stats").isNegative()).isFalse();
    }

    @Test
    void backoffDoublesUpToItsCapWithBoundedJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), 0.25);
        long[] full = {2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (int attempt = 1; attempt <= full.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                long millis = backoff.delay(attempt).toMillis();
                assertThat(millis).describedAs("attempt %d", attempt)
                        .isBetween(Math.round(full[attempt - 1] * 0.75), full[attempt - 1]);
            }
        }
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofDays(1), 0).delay(200)).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 0.1))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void cancellingAndRetryingByHandNeedJobManage() {
        UUID viewer = sentinel.system(Tenants.SETUP).inTransaction(tx ->
                tx.users().create("viewer-" + System.nanoTime() + "@example.com", null).id());
        sentinel.tenant(tenant, Tenants.SETUP).useTransaction(tx -> tx.members().add(viewer, SeatType.PRO, "viewer"));
        Job job = enqueue("permissions", JobOptions.defaults());
        assertThatThrownBy(() -> sentinel.tenant(tenant, Actor.user(viewer)).useTransaction(tx -> tx.jobs().cancel(job.id())))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("job:manage");
        assertThat(get(job.id()).state()).isEqualTo(JobState.QUEUED);
    }
}
