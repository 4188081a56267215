package dev.sentinel.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.SerializationFailureException;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * Observability without a framework: the meters in a Micrometer registry with their documented
 * names and tags (never a tenant id), the MDC around transactions and job handlers, a job's
 * handler under the trace of the transaction that enqueued it, and the jOOQ hooks of the builder.
 */
class ObservabilityTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.create();

    private static final Actor APP = Actor.service("app");
    private static final AuditKey KEY = AuditKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final String TRACE = "00-4bf92f3577b34dc0a5e4f9c1e2d3a4b5-00f067aa0ba902b7-01";

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static final AtomicInteger listenedQueries = new AtomicInteger();
    private static Sentinel sentinel;
    private static UUID tenant;

    @BeforeAll
    static void start() {
        // A job waiting before the registry's Sentinel starts: its first gauge refresh sees it.
        try (Sentinel setup = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build()) {
            tenant = Tenants.create(setup);
            setup.tenant(tenant, APP).useTransaction(tx -> tx.jobs().enqueue("mail.waiting", "{}", JobOptions.defaults().queue("mail")));
        }
        sentinel = Sentinel.builder().jdbcUrl(db.jdbcUrl(), db.roles().app(), db.rolePassword()).systemDataSource(db.systemDataSource())
                .meterRegistry(registry)
                .auditKey(KEY)
                .executeListeners(() -> new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        listenedQueries.incrementAndGet();
                    }
                })
                .jooqSettings(settings -> settings.withQueryTimeout(30))
                .build();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void transactionsAreTimedByScopeAndOutcome() {
        sentinel.tenant(tenant, APP).useTransaction(tx -> tx.dsl().execute("select 1"));
        assertThatThrownBy(() -> sentinel.tenant(tenant, APP).useTransaction(tx -> {
            throw new IllegalStateException("the caller's failure");
        })).isInstanceOf(IllegalStateException.class);
        sentinel.system(APP).useTransaction(tx -> tx.dsl().execute("select 1"));

        assertThat(registry.get("sentinel.transactions").tags("scope", "tenant", "outcome", "committed").timer().count()).isPositive();
        assertThat(registry.get("sentinel.transactions").tags("scope", "tenant", "outcome", "rolled_back").timer().count()).isPositive();
        assertThat(registry.get("sentinel.transactions").tags("scope", "system", "outcome", "committed").timer().count()).isPositive();
    }

    @Test
    void serializationFailuresAndRetriesAreCounted() {
        // SQLSTATE 40001 raised by the server, translated as a real conflict would be.
        String conflict = "do $$ begin raise exception 'conflict' using errcode = '40001'; end $$";
        double retriesBefore = count("sentinel.transactions.retries");
        double failuresBefore = count("sentinel.transactions.serialization.failures");
        assertThatThrownBy(() -> sentinel.tenant(tenant, APP).with(TxOptions.defaults().withRetries(2))
                .useTransaction(tx -> tx.dsl().execute(conflict))).isInstanceOf(SerializationFailureException.class);

        assertThat(count("sentinel.transactions.retries") - retriesBefore).describedAs("two retries").isEqualTo(2);
        assertThat(count("sentinel.transactions.serialization.failures") - failuresBefore)
                .describedAs("three failed attempts").isEqualTo(3);
    }

    @Test
    void queueGaugesCountJobsPerQueueAndState() {
        assertThat(registry.get("sentinel.jobs.depth").tags("queue", "mail", "state", "queued").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("sentinel.jobs.depth").tags("queue", "mail", "state", "failed").gauge().value()).isZero();
        assertThat(registry.get("sentinel.jobs.oldest.due").tags("queue", "mail").gauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void unsealedAuditRowsAndSealLagAreGauged() {
        UUID other = Tenants.create(sentinel); // its creation is audited and not sealed yet
        refreshGauges();
        assertThat(registry.get("sentinel.audit.unsealed").gauge().value()).isPositive();
        assertThat(registry.get("sentinel.audit.seal.lag").gauge().value()).isGreaterThanOrEqualTo(0);

        sentinel.auditChain().sealAll();
        refreshGauges();
        assertThat(registry.get("sentinel.audit.unsealed").gauge().value())
                .describedAs("every row sealed (%s)", other).isZero();
    }

    @Test
    void theMdcHoldsTenantActorAndRequestIdDuringATransaction() {
        Map<String, String> seen = sentinel.tenant(tenant, Actor.service("billing"))
                .with(TxOptions.defaults().withRequestId("req-42"))
                .inTransaction(tx -> new HashMap<>(MDC.getCopyOfContextMap()));

        assertThat(seen).containsEntry("sentinel.tenant_id", tenant.toString())
                .containsEntry("sentinel.actor", "service:billing")
                .containsEntry("sentinel.request_id", "req-42");
        assertThat(MDC.get("sentinel.tenant_id")).describedAs("removed after the transaction").isNull();
    }

    @Test
    void aJobRunsUnderTheTraceOfTheTransactionThatEnqueuedItWithItsIdInTheMdc() throws Exception {
        MDC.put("traceparent", TRACE);
        Job enqueued;
        try {
            enqueued = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueue("mail.traced", "{}").job());
        } finally {
            MDC.remove("traceparent");
        }
        assertThat(enqueued.traceparent()).isEqualTo(TRACE);
        Job untraced = sentinel.tenant(tenant, APP).inTransaction(tx -> tx.jobs().enqueue("mail.untraced", "{}").job());
        assertThat(untraced.traceparent()).describedAs("no trace leaks from an earlier transaction").isNull();

        CompletableFuture<Map<String, String>> inHandler = new CompletableFuture<>();
        double runsBefore = registry.find("sentinel.jobs.runs").tags("type", "mail.traced").timers().stream()
                .mapToDouble(t -> t.count()).sum();
        try (JobWorkers workers = JobWorkers.builder(sentinel)
                .handler("mail.traced", (tx, job) -> {
                    inHandler.complete(new HashMap<>(MDC.getCopyOfContextMap()));
                    return JobOutcome.done();
                })
                .queue("default", 1).pollInterval(Duration.ofMillis(100)).start()) {
            Map<String, String> mdc = inHandler.get(2, TimeUnit.MINUTES);
            assertThat(mdc).containsEntry("traceparent", TRACE)
                    .containsEntry("sentinel.job_id", enqueued.id().toString())
                    .containsEntry("sentinel.tenant_id", tenant.toString())
                    .containsEntry("sentinel.actor", "service:jobs");
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (registry.find("sentinel.jobs.runs").tags("type", "mail.traced", "outcome", "succeeded").timer() == null
                    && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
        }
        assertThat(registry.get("sentinel.jobs.runs").tags("queue", "default", "type", "mail.traced", "outcome", "succeeded")
                .timer().count()).isEqualTo((long) runsBefore + 1);
    }

    @Test
    void noMeterIsTaggedWithATenantId() {
        sentinel.tenant(tenant, APP).useTransaction(tx -> tx.dsl().execute("select 1"));
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getValue()).describedAs("%s tag %s", meter.getId().getName(), tag.getKey())
                        .doesNotContain(tenant.toString());
                assertThat(tag.getKey()).doesNotContainIgnoringCase("tenant");
            }
        }
    }

    @Test
    void executeListenersAndSettingsReachEveryTransaction() {
        int before = listenedQueries.get();
        int timeout = sentinel.tenant(tenant, APP).inTransaction(tx -> {
            tx.dsl().execute("select 1");
            return tx.dsl().configuration().settings().getQueryTimeout();
        });
        assertThat(listenedQueries.get()).isGreaterThan(before);
        assertThat(timeout).isEqualTo(30);
    }

    private static double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The refresher runs every 15 seconds; a test asks for the refresh at once. */
    private static void refreshGauges() {
        dev.sentinel.core.internal.Observer observer = observerOf(sentinel);
        ((dev.sentinel.core.internal.MicrometerObserver) observer).refresh();
    }

    private static dev.sentinel.core.internal.Observer observerOf(Sentinel s) {
        return dev.sentinel.core.internal.Observer.of(s.jobQueue());
    }
}
