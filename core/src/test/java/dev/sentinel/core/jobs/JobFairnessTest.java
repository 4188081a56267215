package dev.sentinel.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fairness bound of {@link JobQueue#claim}: with {@code T} tenants holding due jobs of equal
 * priority, each tenant's oldest due job is among the next {@code T} claims, even when one tenant
 * has flooded the queue with 10,000 older jobs.
 */
class JobFairnessTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final int FLOOD = 10_000;

    private static Sentinel sentinel;

    @BeforeAll
    static void start() {
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource()).maximumPoolSize(2).build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    private static UUID enqueue(UUID tenant, int n) {
        return sentinel.tenant(tenant, APP).inTransaction(tx -> {
            UUID last = null;
            for (int i = 0; i < n; i++) {
                last = tx.jobs().enqueue("reports.build", "{\"n\": " + i + "}", JobOptions.defaults().queue("fair")).job().id();
            }
            return last;
        });
    }

    @Test
    void everyTenantWithADueJobIsServedWithinTClaimsDespiteAFlood() {
        UUID flooder = Tenants.create(sentinel);
        enqueue(flooder, FLOOD); // older than every other job: a FIFO queue would serve all 10,000 first
        List<UUID> others = new ArrayList<>();
        List<UUID> otherJobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID tenant = Tenants.create(sentinel);
            others.add(tenant);
            otherJobs.add(enqueue(tenant, 1));
        }
        int t = others.size() + 1;
        JobQueue queue = sentinel.jobQueue();

        // One claim at a time: the first T claims take one job of every tenant.
        List<ClaimedJob> single = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            single.addAll(queue.claim("fair", List.of(), "w1", 1, Duration.ofMinutes(5)));
        }
        assertThat(single).hasSize(t);
        assertThat(single).extracting(c -> c.job().tenantId()).describedAs("one job per tenant in the first T = %d claims", t)
                .containsExactlyInAnyOrderElementsOf(concat(flooder, others));
        assertThat(single).extracting(c -> c.job().id()).containsAll(otherJobs);

        // The others enqueue again; one claim of a batch of T again serves every tenant once.
        Set<UUID> secondRound = new HashSet<>();
        for (UUID tenant : others) {
            secondRound.add(enqueue(tenant, 1));
        }
        List<ClaimedJob> batch = queue.claim("fair", List.of(), "w2", t, Duration.ofMinutes(5));
        assertThat(batch).extracting(c -> c.job().tenantId()).containsExactlyInAnyOrderElementsOf(concat(flooder, others));
        assertThat(batch).extracting(c -> c.job().id()).containsAll(secondRound);

        // With only the flooder left, a batch takes its jobs oldest first.
        List<ClaimedJob> rest = queue.claim("fair", List.of(), "w3", 50, Duration.ofMinutes(5));
        assertThat(rest).hasSize(50).allSatisfy(c -> assertThat(c.job().tenantId()).isEqualTo(flooder));
        assertThat(rest).extracting(c -> c.job().runAt()).isSorted();
        assertThat(queue.stats().count("fair", JobState.QUEUED)).isEqualTo(FLOOD - 2 - 50);
    }

    @Test
    void priorityStillWinsWithinARank() {
        UUID a = Tenants.create(sentinel);
        UUID b = Tenants.create(sentinel);
        for (int i = 0; i < 3; i++) {
            sentinel.tenant(a, APP).useTransaction(tx -> tx.jobs().enqueue("reports.build", "{}", JobOptions.defaults().queue("prio")));
        }
        UUID urgent = sentinel.tenant(b, APP).inTransaction(tx ->
                tx.jobs().enqueue("reports.build", "{}", JobOptions.defaults().queue("prio").priority(10)).job().id());
        List<ClaimedJob> claimed = sentinel.jobQueue().claim("prio", List.of(), "w1", 4, Duration.ofMinutes(5));
        assertThat(claimed).extracting(c -> c.job().id()).first().isEqualTo(urgent);
        assertThat(claimed).extracting(c -> c.job().tenantId()).containsExactly(b, a, a, a);
    }

    private static List<UUID> concat(UUID first, List<UUID> rest) {
        List<UUID> all = new ArrayList<>(rest);
        all.add(first);
        return all;
    }
}
