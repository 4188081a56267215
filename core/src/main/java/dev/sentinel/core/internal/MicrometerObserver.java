package dev.sentinel.core.internal;

import dev.sentinel.core.Scope;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.jobs.JobQueue;
import dev.sentinel.core.jobs.JobStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Sentinel's meters in a Micrometer registry. The only class that touches Micrometer, made
 * only when a registry is configured, so that Micrometer stays an optional dependency. Meter names
 * and tags are documented in docs/recipes.md ("Metrics"); no meter is tagged with a tenant id, whose
 * number is unbounded.
 *
 * <p>Timers and counters are recorded as the work happens. The gauges (job queue depth and age,
 * unsealed audit rows and seal lag) come from two queries in the system scope that a daemon thread
 * runs every {@link #REFRESH}, the first at start-up. Thread-safe.
 */
public final class MicrometerObserver implements Observer {

    /** How often the gauges' queries run. */
    public static final Duration REFRESH = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerObserver.class);

    private final MeterRegistry registry;
    private final boolean audit;
    private volatile Scope system;
    private volatile JobQueue queue;
    private final MultiGauge depth;
    private final MultiGauge oldestDue;
    private final AtomicReference<double[]> auditBacklog = new AtomicReference<>(new double[] {0, 0});
    private volatile ScheduledExecutorService refresher;

    private MicrometerObserver(MeterRegistry registry, boolean audit) {
        this.registry = registry;
        this.audit = audit;
        this.depth = MultiGauge.builder("sentinel.jobs.depth").description("Jobs per queue and state").baseUnit("jobs").register(registry);
        this.oldestDue = MultiGauge.builder("sentinel.jobs.oldest.due")
                .description("How long the oldest due queued job of a queue has waited").baseUnit("seconds").register(registry);
        if (audit) {
            registry.gauge("sentinel.audit.unsealed", Tags.empty(), auditBacklog, backlog -> backlog.get()[0]);
            registry.gauge("sentinel.audit.seal.lag", Tags.empty(), auditBacklog, backlog -> backlog.get()[1]);
        }
    }

    /**
     * Registers the meters. The gauges stay empty until {@link #startGauges}.
     *
     * @param registry the registry
     * @param audit whether the audit chain is sealed (an audit key is configured), so its backlog matters
     * @return the observer
     */
    public static MicrometerObserver create(MeterRegistry registry, boolean audit) {
        return new MicrometerObserver(registry, audit);
    }

    /**
     * Refreshes the gauges once and starts their refresher.
     *
     * @param systemScope the system scope, for the gauges' queries
     * @param jobQueue the job queue, for its statistics
     */
    public void startGauges(Scope systemScope, JobQueue jobQueue) {
        this.system = systemScope;
        this.queue = jobQueue;
        refresh();
        refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sentinel-metrics"));
        long every = REFRESH.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void transaction(boolean system, boolean committed, long nanos) {
        Timer.builder("sentinel.transactions").description("Top-level transactions, by scope and outcome")
                .tags("scope", scope(system), "outcome", committed ? "committed" : "rolled_back")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void serializationFailure(boolean system, boolean retried) {
        Counter.builder("sentinel.transactions.serialization.failures")
                .description("Serialization failures and deadlocks, retried or not").tags("scope", scope(system))
                .register(registry).increment();
        if (retried) {
            Counter.builder("sentinel.transactions.retries").description("Transactions run again after a serialization failure")
                    .tags("scope", scope(system)).register(registry).increment();
        }
    }

    @Override
    public void job(String queueName, String type, String outcome, long nanos) {
        Timer.builder("sentinel.jobs.runs").description("Job handler runs, by queue, type and outcome")
                .tags("queue", queueName, "type", type, "outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Runs the gauges' queries; a failure is logged and the gauges keep their last values. */
    public void refresh() {
        try {
            JobStats stats = queue.stats();
            List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
            for (Map.Entry<String, Map<JobState, Long>> byQueue : stats.counts().entrySet()) {
                for (JobState state : JobState.values()) {
                    depthRows.add(MultiGauge.Row.of(Tags.of("queue", byQueue.getKey(), "state", state.literal()),
                            stats.count(byQueue.getKey(), state)));
                }
            }
            depth.register(depthRows, true);
            List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
            for (String queueName : stats.counts().keySet()) {
                Duration age = stats.oldestDueAge().getOrDefault(queueName, Duration.ZERO);
                ageRows.add(MultiGauge.Row.of(Tags.of("queue", queueName), age.toMillis() / 1000.0));
            }
            oldestDue.register(ageRows, true);
            if (audit) {
                Record row = system.inTransaction(tx -> tx.dsl().resultQuery("""
                        select count(*) as unsealed, coalesce(extract(epoch from now() - min(a.occurred_at)), 0)::float8 as lag
                          from sentinel.audit_log a
                         where not exists (select 1 from sentinel.audit_chain c where c.tenant_id = a.tenant_id and c.audit_id = a.id)
                        """).fetchOne());
                auditBacklog.set(new double[] {row.get("unsealed", Long.class), row.get("lag", Double.class)});
            }
        } catch (RuntimeException e) {
            LOG.warn("Refreshing Sentinel's gauges failed; they keep their last values: {}", e.getMessage());
        }
    }

    private static String scope(boolean system) {
        return system ? "system" : "tenant";
    }
}
