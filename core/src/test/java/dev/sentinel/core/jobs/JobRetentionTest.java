package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JobQueue#pruneFinished}: old finished jobs go, in batches; dead, live and recent ones stay; locks are skipped. */
class JobRetentionTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final Duration WEEK = Duration.ofDays(7);

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(4).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static UUID enqueue(UUID tenant, String queue, int maxAttempts) {
        return sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("mail.send", "{}", JobOptions.defaults().queue(queue).maxAttempts(maxAttempts)).job().id());
    }

    private static ClaimedJob claim(String queue) {
        return sentinel.jobQueue().claim(queue, List.of(), "w1", 1, Duration.ofMinutes(5)).get(0);
    }

    /** Moves a finished job's end ten days back, as if it had finished then. */
    private static void age(UUID tenant, UUID id) {
        sentinel.tenant(tenant, APP).useTransaction(tx -> tx.dsl().execute(
                "update sentinel.jobs set finished_at = now() - interval '10 days' where tenant_id = ? and id = ?", tenant, id));
    }

    private static Optional<Job> get(UUID tenant, UUID id) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().get(id));
    }

    @Test
    void oldSucceededAndCancelledJobsArePrunedInBatchesAndDeadLiveAndRecentOnesKept() {
        JobQueue queue = sentinel.jobQueue();
        List<UUID> tenants = List.of(Tenants.create(sentinel), Tenants.create(sentinel));
        List<UUID[]> old = new ArrayList<>();
        List<UUID[]> kept = new ArrayList<>();
        for (UUID tenant : tenants) {
            for (int i = 0; i < 5; i++) { // old successes: more than one batch of 2
                UUID id = enqueue(tenant, "prune", 3);
                queue.complete(claim("prune").lease(), null);
                age(tenant, id);
                old.add(new UUID[] {tenant, id});
            }
            UUID cancelled = enqueue(tenant, "prune", 3);
            sentinel.tenant(tenant, APP).useTransaction(tx -> tx.jobs().cancel(cancelled));
            age(tenant, cancelled);
            old.add(new UUID[] {tenant, cancelled});

            UUID dead = enqueue(tenant, "prune", 1);
            queue.fail(claim("prune").lease(), "boom", Backoff.defaults());
            age(tenant, dead);
            kept.add(new UUID[] {tenant, dead});

            UUID recent = enqueue(tenant, "prune", 3);
            queue.complete(claim("prune").lease(), null);
            kept.add(new UUID[] {tenant, recent});

            UUID running = enqueue(tenant, "prune", 3);
            claim("prune");
            kept.add(new UUID[] {tenant, running});

            kept.add(new UUID[] {tenant, enqueue(tenant, "prune-later", 3)});
        }

        assertThat(queue.pruneFinished(WEEK, 2)).isEqualTo(old.size());
        assertThat(old).allSatisfy(job -> assertThat(get(job[0], job[1])).isEmpty());
        assertThat(kept).allSatisfy(job -> assertThat(get(job[0], job[1])).isPresent());
        assertThat(get(kept.get(0)[0], kept.get(0)[1]).orElseThrow().state()).describedAs("dead, kept until handled")
                .isEqualTo(JobState.FAILED);
        assertThat(queue.pruneFinished(WEEK, 2)).isZero();
    }

    @Test
    void aFinishedJobLockedByAnotherTransactionIsSkippedNotWaitedFor() throws Exception {
        UUID tenant = Tenants.create(sentinel);
        UUID locked = enqueue(tenant, "prune-lock", 3);
        sentinel.jobQueue().complete(claim("prune-lock").lease(), null);
        UUID free = enqueue(tenant, "prune-lock", 3);
        sentinel.jobQueue().complete(claim("prune-lock").lease(), null);
        age(tenant, locked);
        age(tenant, free);
        try (Connection owner = db.adminDataSource().getConnection()) {
            owner.setAutoCommit(false);
            try (PreparedStatement lock = owner.prepareStatement("select 1 from sentinel.jobs where tenant_id = ? and id = ? for update")) {
                lock.setObject(1, tenant);
                lock.setObject(2, locked);
                lock.executeQuery().close();
            }
            assertThat(sentinel.jobQueue().pruneFinished(WEEK, 100)).isEqualTo(1);
            owner.rollback();
        }
        assertThat(get(tenant, locked)).isPresent();
        assertThat(get(tenant, free)).isEmpty();
        assertThat(sentinel.jobQueue().pruneFinished(WEEK, 100)).isEqualTo(1);
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThatThrownBy(() -> sentinel.jobQueue().pruneFinished(Duration.ZERO, 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sentinel.jobQueue().pruneFinished(WEEK, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> JobWorkers.builder(sentinel).handler("mail.send", (tx, job) -> JobOutcome.done())
                .queue("default", 1).keepFinished(Duration.ofDays(-1)).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("keepFinished");
    }
}
