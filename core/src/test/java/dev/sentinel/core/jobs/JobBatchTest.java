package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Jobs#enqueueAll}: many jobs in one statement, in order, dedupe keys honoured, all or nothing. */
class JobBatchTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(4).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void enqueueAllInsertsEveryJobInOrderAndWorkersSeeThem() {
        UUID tenant = Tenants.create(sentinel);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            jobs.add(new NewJob("mail.send", "{\"n\": " + i + "}", JobOptions.defaults().queue("batch").priority(i % 3)));
        }
        List<Enqueued> enqueued = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueueAll(jobs));

        assertThat(enqueued).hasSize(500).noneMatch(Enqueued::duplicate);
        for (int i = 0; i < 500; i++) {
            assertThat(enqueued.get(i).job().payload()).isEqualTo("{\"n\": " + i + "}");
            assertThat(enqueued.get(i).job().priority()).isEqualTo(i % 3);
            assertThat(enqueued.get(i).job().state()).isEqualTo(JobState.QUEUED);
        }
        assertThat(enqueued).extracting(e -> e.job().id()).doesNotHaveDuplicates();
        assertThat(sentinel.jobQueue().claim("batch", List.of(), "w1", 1000, Duration.ofMinutes(1))).hasSize(500);
    }

    @Test
    void dedupeKeysAreHonouredAgainstLiveJobsAndWithinTheList() {
        UUID tenant = Tenants.create(sentinel);
        JobOptions options = JobOptions.defaults().queue("batch-dedupe");
        Job live = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("mail.send", "{\"first\": true}", options.dedupeKey("live")).job());
        // A finished job no longer holds its key.
        Job finished = sentinel.tenant(tenant, APP).inTransaction(tx ->
                tx.jobs().enqueue("mail.send", "{}", options.dedupeKey("finished")).job());
        sentinel.tenant(tenant, APP).useTransaction(tx -> tx.jobs().cancel(finished.id()));

        List<Enqueued> enqueued = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueueAll(List.of(
                new NewJob("mail.send", "{\"second\": true}", options.dedupeKey("live")),
                new NewJob("mail.send", "{\"a\": 1}", options.dedupeKey("twice")),
                new NewJob("mail.send", "{\"a\": 2}", options.dedupeKey("twice")),
                new NewJob("mail.send", "{}", options.dedupeKey("finished")),
                new NewJob("mail.other", "{}", options.dedupeKey("live")),
                new NewJob("mail.send", "{}", options))));

        assertThat(enqueued).extracting(Enqueued::duplicate).containsExactly(true, false, true, false, false, false);
        assertThat(enqueued.get(0).job().id()).describedAs("the live job with the key").isEqualTo(live.id());
        assertThat(enqueued.get(0).job().payload()).isEqualTo("{\"first\": true}");
        assertThat(enqueued.get(2).job().id()).describedAs("the first of the list with the key").isEqualTo(enqueued.get(1).job().id());
        assertThat(enqueued.get(3).job().id()).isNotEqualTo(finished.id());
        long queued = sentinel.tenant(tenant, APP).inTransaction(tx -> (long) tx.jobs().list(JobState.QUEUED, 100).size());
        assertThat(queued).describedAs("live + twice + finished + other + no key").isEqualTo(5);
    }

    @Test
    void oneBadJobFailsTheWholeCallAndWritesNothing() {
        UUID tenant = Tenants.create(sentinel);
        JobOptions options = JobOptions.defaults().queue("batch-bad");
        assertThatThrownBy(() -> sentinel.tenant(tenant, APP).useTransaction(tx -> tx.jobs().enqueueAll(List.of(
                NewJob.of("mail.send", "{}"), NewJob.of("Mail Send", "{}")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("job 1").hasMessageContaining("Mail Send");
        assertThatThrownBy(() -> sentinel.tenant(tenant, APP).useTransaction(tx -> tx.jobs().enqueueAll(List.of(
                new NewJob("mail.send", "{}", options), new NewJob("mail.send", "{\"broken\": }", options)))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(sentinel.jobQueue().claim("batch-bad", List.of(), "w1", 10, Duration.ofMinutes(1))).isEmpty();
        List<Enqueued> none = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueueAll(List.of()));
        assertThat(none).isEmpty();
    }
}
