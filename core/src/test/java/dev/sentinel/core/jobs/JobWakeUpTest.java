package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.internal.WorkerPool;
import dev.sentinel.core.support.Backends;
import dev.sentinel.core.support.LogCapture;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LISTEN/NOTIFY wake-up: with a poll interval of an hour, a job enqueued after the queue ran dry can
 * only start because its commit woke the worker. Also after the listening connection was killed.
 */
class JobWakeUpTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final Duration NEVER = Duration.ofHours(1);
    private static final String LISTENING = "select pid from pg_stat_activity where datname = current_database()"
            + " and usename = '%s' and query = 'LISTEN sentinel_jobs'";

    private static Sentinel sentinel;
    private static UUID tenant;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(6).build();
        tenant = Tenants.create(sentinel);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    /** Waits for what the workers bring about; the bound only keeps a broken build from hanging. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting for " + what + " (the poll interval is an hour: only a notification"
                        + " starts a job); stats: " + sentinel.jobQueue().stats());
            }
            Thread.sleep(20);
        }
    }

    private static UUID enqueue(String queue) {
        return sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("wake.record", "{}", JobOptions.defaults().queue(queue)).job().id());
    }

    /** The backends that listen, as the application role, found by their last statement. */
    private static List<Integer> listeners() {
        try (Connection admin = db.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(String.format(LISTENING, db.roles().app()))) {
            List<Integer> pids = new ArrayList<>();
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
            return pids;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCommittedEnqueueWakesItsQueueAtOnceAndARolledBackOneDoesNot() throws Exception {
        Set<UUID> ran = ConcurrentHashMap.newKeySet();
        try (JobWorkers workers = JobWorkers.builder(sentinel)
                .handler("wake.record", (tx, job) -> {
                    ran.add(job.id());
                    return JobOutcome.done();
                })
                .queue("wake", 2).queue("other", 1)
                .pollInterval(NEVER).listen(db.appDataSource())
                .start()) {
            await("the listener to LISTEN", () -> listeners().size() == 1);

            UUID first = enqueue("wake");
            await("the first job to run", () -> ran.contains(first));
            UUID second = enqueue("wake");
            UUID third = enqueue("other");
            await("the second and third jobs to run", () -> ran.containsAll(Set.of(second, third)));

            // A rolled-back enqueue sends nothing: the next committed one is what wakes the queue.
            try {
                sentinel.tenant(tenant, APP).useTransaction(tx -> {
                    tx.jobs().enqueue("wake.record", "{}", JobOptions.defaults().queue("wake"));
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            UUID fourth = enqueue("wake");
            await("the fourth job to run", () -> ran.contains(fourth));
            assertThat(ran).containsExactlyInAnyOrder(first, second, third, fourth);
        }
        assertThat(listeners()).describedAs("the listening connection went back to the pool without its LISTEN").isEmpty();
    }

    @Test
    void aKilledListenerListensAgainAndCatchesUpOnWhatWasEnqueuedMeanwhile() throws Exception {
        Set<UUID> ran = ConcurrentHashMap.newKeySet();
        try (LogCapture log = LogCapture.of(WorkerPool.class.getName());
                JobWorkers workers = JobWorkers.builder(sentinel)
                        .handler("wake.record", (tx, job) -> {
                            ran.add(job.id());
                            return JobOutcome.done();
                        })
                        .queue("again", 1)
                        .pollInterval(NEVER).listen(db.appDataSource())
                        .start()) {
            await("the listener to LISTEN", () -> listeners().size() == 1);
            List<Integer> listening = listeners();
            assertThat(listening).hasSize(1);
            Backends.terminate(db, listening.get(0));
            // Enqueued at once, most likely while nobody listens: the catch-up claim after the
            // reconnection starts it, if the notification did not.
            UUID meanwhile = enqueue("again");
            await("the job enqueued around the kill to run", () -> ran.contains(meanwhile));
            await("the listener to LISTEN again", () -> listeners().size() == 1);
            UUID after = enqueue("again");
            await("the job enqueued after the reconnection to run", () -> ran.contains(after));
            assertThat(log.containing("Listening for enqueued jobs failed")).isNotEmpty();
        }
    }
}
