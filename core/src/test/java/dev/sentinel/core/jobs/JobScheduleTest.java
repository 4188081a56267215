package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.db.enums.MissedTicks;
import dev.sentinel.core.internal.JobQueueImpl;
import dev.sentinel.core.support.MutableClock;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recurring jobs: each tick enqueued once across two worker pools on one database, missed ticks by
 * policy, cron in a time zone across daylight-saving changes. Time is the service's injected clock,
 * moved by hand; nothing sleeps to let time pass.
 */
class JobScheduleTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final MutableClock clock = new MutableClock();
    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(12)
                .clock(clock).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static List<Job> jobs(UUID tenant, JobState state) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().list(state, 1000));
    }

    private static Instant nextRun(UUID tenant, String name) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.dsl().resultQuery(
                "select next_run_at from sentinel.job_schedules where tenant_id = ? and name = ?", tenant, name)
                .fetchOne(0, OffsetDateTime.class).toInstant());
    }

    private static JobWorkers pool(String id, String queue, Map<String, AtomicInteger> runs) {
        return JobWorkers.builder(sentinel).workerId(id).queue(queue, 2).pollInterval(Duration.ofMillis(20))
                .handler("reports.build", (tx, job) -> {
                    runs.computeIfAbsent(job.dedupeKey(), k -> new AtomicInteger()).incrementAndGet();
                    return JobOutcome.done();
                }).start();
    }

    @Test
    void twoPoolsOnOneDatabaseEnqueueEachTickOnce() throws InterruptedException {
        clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        UUID tenant = Tenants.create(sentinel);
        Instant first = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().schedule(JobSchedule.every("reports.hourly", "reports.build", Duration.ofHours(1)).queue("ticks")));
        assertThat(first).isEqualTo(Instant.parse("2026-06-01T01:00:00Z"));

        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        int ticks = 6;
        try (JobWorkers a = pool("pool-a", "ticks", runs); JobWorkers b = pool("pool-b", "ticks", runs)) {
            for (int tick = 1; tick <= ticks; tick++) {
                clock.advance(Duration.ofHours(1));
                int expected = tick;
                await("tick " + tick, () -> jobs(tenant, JobState.SUCCEEDED).size() == expected);
                Instant after = Instant.parse("2026-06-01T00:00:00Z").plus(Duration.ofHours(tick + 1));
                await("the next tick set", () -> nextRun(tenant, "reports.hourly").equals(after));
            }
        }
        assertThat(jobs(tenant, JobState.SUCCEEDED)).hasSize(ticks)
                .extracting(Job::dedupeKey).doesNotHaveDuplicates()
                .allSatisfy(key -> assertThat(key).startsWith("schedule:reports.hourly:2026-06-01T"));
        assertThat(runs).hasSize(ticks).allSatisfy((key, count) -> assertThat(count.get()).describedAs(key).isEqualTo(1));
    }

    @Test
    void ticksMissedWhileEveryPoolWasDownRunOnceOrAreSkippedByPolicy() throws InterruptedException {
        clock.set(Instant.parse("2026-07-01T00:00:00Z"));
        UUID tenant = Tenants.create(sentinel);
        sentinel.tenant(tenant, APP).useTransaction(tx -> {
            tx.jobs().schedule(JobSchedule.every("catch-up", "reports.build", Duration.ofHours(1)).queue("missed"));
            tx.jobs().schedule(JobSchedule.every("skip", "reports.build", Duration.ofHours(1)).queue("missed")
                    .missed(MissedTicks.SKIP));
        });
        clock.advance(Duration.ofHours(5).plusMinutes(30)); // five ticks pass with no pool running

        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Instant sixth = Instant.parse("2026-07-01T06:00:00Z");
        try (JobWorkers a = pool("pool-c", "missed", runs); JobWorkers b = pool("pool-d", "missed", runs)) {
            await("both schedules moved past now", () -> nextRun(tenant, "catch-up").equals(sixth)
                    && nextRun(tenant, "skip").equals(sixth));
            await("the catch-up job ran", () -> jobs(tenant, JobState.SUCCEEDED).size() == 1);
        }
        assertThat(jobs(tenant, JobState.SUCCEEDED)).singleElement().extracting(Job::dedupeKey)
                .isEqualTo("schedule:catch-up:2026-07-01T01:00:00Z");
        assertThat(jobs(tenant, JobState.QUEUED)).isEmpty();

        // A tick found on time runs under either policy.
        clock.set(sixth.plusSeconds(10));
        ((JobQueueImpl) sentinel.jobQueue()).tickSchedules(clock.instant());
        assertThat(jobs(tenant, JobState.QUEUED)).extracting(Job::dedupeKey).containsExactlyInAnyOrder(
                "schedule:catch-up:2026-07-01T06:00:00Z", "schedule:skip:2026-07-01T06:00:00Z");
    }

    @Test
    void cronTicksInTheirTimeZoneOnceAcrossBothDaylightSavingChanges() {
        JobQueueImpl queue = (JobQueueImpl) sentinel.jobQueue();
        UUID tenant = Tenants.create(sentinel);
        // 02:30 every day in Berlin: on 2026-10-25 it happens twice (CEST, then CET), on 2026-03-29 not at all.
        clock.set(Instant.parse("2026-10-24T12:00:00Z"));
        Instant next = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().schedule(JobSchedule.cron("nightly", "reports.build", "30 2 * * *", BERLIN).queue("cron-autumn")));
        assertThat(next).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST
        clock.set(next);
        queue.tickSchedules(clock.instant());
        assertThat(jobs(tenant, JobState.QUEUED)).hasSize(1);
        assertThat(nextRun(tenant, "nightly")).describedAs("not 02:30 CET the same night")
                .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        clock.set(Instant.parse("2026-10-25T01:30:00Z")); // the second 02:30 of the night
        queue.tickSchedules(clock.instant());
        assertThat(jobs(tenant, JobState.QUEUED)).hasSize(1);
        clock.set(Instant.parse("2026-10-26T01:30:00Z"));
        queue.tickSchedules(clock.instant());
        assertThat(jobs(tenant, JobState.QUEUED)).hasSize(2);

        UUID spring = Tenants.create(sentinel);
        clock.set(Instant.parse("2026-03-28T12:00:00Z"));
        Instant march29 = sentinel.tenant(spring, APP).inTransaction(tx ->
                tx.jobs().schedule(JobSchedule.cron("nightly", "reports.build", "30 2 * * *", BERLIN).queue("cron-spring")));
        assertThat(march29).describedAs("02:30 does not exist on 2026-03-29: the first instant after the gap, 03:00 CEST")
                .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        clock.set(march29);
        queue.tickSchedules(clock.instant());
        assertThat(nextRun(spring, "nightly")).isEqualTo(Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
        assertThat(jobs(spring, JobState.QUEUED)).hasSize(1);
    }

    @Test
    void storingTheSameTimingAgainKeepsTheNextTickAndBadSchedulesAreTypedErrors() {
        clock.set(Instant.parse("2026-08-01T00:00:00Z"));
        UUID tenant = Tenants.create(sentinel);
        JobSchedule every = JobSchedule.every("sync", "reports.build", Duration.ofMinutes(10));
        Instant first = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().schedule(every));
        clock.advance(Duration.ofMinutes(7));
        Instant again = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().schedule(every.payload("{\"v\": 2}")));
        assertThat(again).describedAs("a restart stores its schedules again").isEqualTo(first);
        Instant retimed = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().schedule(
                JobSchedule.every("sync", "reports.build", Duration.ofMinutes(30))));
        assertThat(retimed).isEqualTo(Instant.parse("2026-08-01T00:37:00Z"));
        boolean removed = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().unschedule("sync"));
        boolean removedAgain = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().unschedule("sync"));
        assertThat(removed).isTrue();
        assertThat(removedAgain).isFalse();

        assertThatThrownBy(() -> JobSchedule.cron("bad", "reports.build", "61 * * * *", BERLIN))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("61 * * * *");
        assertThatThrownBy(() -> JobSchedule.cron("bad", "reports.build", "0 3 * * *", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("time zone");
        assertThatThrownBy(() -> JobSchedule.every("bad", "reports.build", Duration.ofMillis(1500)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> JobSchedule.every("Bad Name", "reports.build", Duration.ofMinutes(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> sentinel.tenant(tenant, APP).useTransaction(tx -> tx.jobs().schedule(
                JobSchedule.every("ok", "Reports", Duration.ofMinutes(1))))).isInstanceOf(InvalidInputException.class);
    }
}
