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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed payloads: written by a {@link JobSerializer}, read back into the handler's class; raw JSON still works. */
class JobPayloadTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");

    private static Sentinel sentinel;

    /** A payload with the types a service sends: ids, instants, text, lists. */
    record Reminder(UUID order, Instant due, String note, List<String> to) {
    }

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(8).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aPayloadObjectRoundTripsThroughTheQueueIntoATypedHandler() throws InterruptedException {
        UUID tenant = Tenants.create(sentinel);
        JobSerializer json = JobSerializer.jackson();
        Reminder single = new Reminder(UUID.randomUUID(), Instant.parse("2026-03-29T01:30:00.123456Z"), "Grüße, \"quoted\"",
                List.of("a@example.com"));
        Reminder batched = new Reminder(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MICROS), null, List.of());
        JobOptions options = JobOptions.defaults().queue("typed");
        sentinel.tenant(tenant, APP).useTransaction(tx -> {
            tx.jobs().enqueue("orders.remind", single, json, options);
            tx.jobs().enqueueAll(List.of(NewJob.of("orders.remind", batched, json, options)));
            tx.jobs().enqueue("orders.raw", "{\"plain\": [1, 2]}", options);
        });

        Map<UUID, Reminder> received = new ConcurrentHashMap<>();
        Map<UUID, String> raw = new ConcurrentHashMap<>();
        try (JobWorkers workers = JobWorkers.builder(sentinel).queue("typed", 2).pollInterval(Duration.ofMillis(50))
                .handler("orders.remind", Reminder.class, (tx, job, reminder) -> {
                    received.put(reminder.order(), reminder);
                    return JobOutcome.done();
                })
                .handler("orders.raw", (tx, job) -> {
                    raw.put(job.id(), job.payload());
                    return JobOutcome.done();
                })
                .start()) {
            long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (received.size() + raw.size() < 3 && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
        }
        assertThat(received).containsEntry(single.order(), single).containsEntry(batched.order(), batched);
        assertThat(raw.values()).containsExactly("{\"plain\": [1, 2]}");
    }

    @Test
    void aPayloadThatIsNotAnObjectOrDoesNotFitIsATypedError() throws InterruptedException {
        JobSerializer json = JobSerializer.jackson();
        assertThatThrownBy(() -> json.write("just text")).isInstanceOf(InvalidInputException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> json.write(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> json.read("{\"order\": \"not a uuid\"}", Reminder.class)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(Reminder.class.getName());

        // A stored payload that does not fit fails the attempt with the serializer's message, then is dead.
        UUID tenant = Tenants.create(sentinel);
        UUID id = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueue("orders.remind", "{\"order\": 42}",
                JobOptions.defaults().queue("typed-bad").maxAttempts(1)).job().id());
        try (JobWorkers workers = JobWorkers.builder(sentinel).queue("typed-bad", 1).pollInterval(Duration.ofMillis(50))
                .handler("orders.remind", Reminder.class, (tx, job, reminder) -> JobOutcome.done()).start()) {
            long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (state(tenant, id) != JobState.FAILED && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
        }
        Job dead = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().get(id).orElseThrow());
        assertThat(dead.state()).isEqualTo(JobState.FAILED);
        assertThat(dead.lastError()).startsWith(InvalidInputException.class.getName()).contains(Reminder.class.getName());
    }

    private static JobState state(UUID tenant, UUID id) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().get(id).orElseThrow().state());
    }
}
