package dev.sentinel.core.jobs;

import dev.sentinel.core.ConfigurationException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.internal.JobQueueImpl;
import dev.sentinel.core.internal.WorkerPool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A pool of workers that runs jobs: handlers per job type, a concurrency per queue, each job's
 * handler in a transaction of the job's tenant (actor {@code service:jobs}), so row-level security
 * and the audit trail hold inside handlers. Thread-safe.
 *
 * <pre>{@code
 * JobWorkers workers = JobWorkers.builder(sentinel)
 *         .handler("orders.send_reminder", (tx, job) -> { ...; return JobOutcome.done(); })
 *         .queue("default", 4)
 *         .start();
 * ...
 * workers.close(); // stop claiming, finish or release running jobs
 * }</pre>
 *
 * <p>A queue whose last claim found fewer jobs than free slots waits {@link Builder#pollInterval}
 * before claiming again; a full claim is followed at once by the next. With {@link Builder#listen},
 * that wait also ends as soon as a transaction that enqueued a job due now for the queue commits
 * (LISTEN/NOTIFY); polling goes on underneath, for jobs that become due later and while the
 * listener reconnects. Without it, polling alone is the mode, also behind PgBouncer's transaction
 * pooling, which cannot LISTEN.
 * While a handler runs, a scheduler thread extends its lease every {@link Builder#heartbeatEvery}
 * in a separate short transaction; the rescuer sweeps expired leases every {@link Builder#rescueEvery}.
 * Each worker needs database connections: one per running handler, plus one per polling queue and
 * one for heartbeats, so size the pool at least {@code sum(concurrency) + queues + 1}; the listener
 * holds one more, from the data source given to {@link Builder#listen}.
 */
public final class JobWorkers implements AutoCloseable {

    private final WorkerPool pool;

    private JobWorkers(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * Starts a configuration.
     *
     * @param sentinel the Sentinel whose queue to work
     * @return the builder
     */
    public static Builder builder(Sentinel sentinel) {
        return new Builder(Objects.requireNonNull(sentinel, "sentinel"));
    }

    /**
     * Stops claiming, waits up to {@code timeout} for running handlers to finish, then releases the
     * jobs still running back to the queue (their attempt not counted) and interrupts their
     * handlers; the lease fence refuses those handlers' completion. Idempotent.
     *
     * @param timeout how long running handlers may take to finish
     * @return how many unfinished jobs were released
     */
    public int shutdown(Duration timeout) {
        return pool.shutdown(JobOptions.positive("shutdown: timeout", timeout));
    }

    /** {@link #shutdown(Duration)} with 30 seconds. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }

    /**
     * Whether the workers run.
     *
     * @return {@code false} once shut down
     */
    public boolean isRunning() {
        return pool.running();
    }

    /** Configuration of {@link JobWorkers}; not thread-safe. Validated by {@link #start()}. */
    public static final class Builder {
        private static final Pattern QUEUE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

        private final Sentinel sentinel;
        private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private String workerId = "worker-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lease = Duration.ofSeconds(30);
        private Duration heartbeatEvery;
        private Duration rescueEvery;
        private boolean rescue = true;
        private int batchSize = 100;
        private Integer prefetch;
        private Backoff backoff = Backoff.defaults();
        private TxOptions handlerOptions = TxOptions.defaults();
        private DataSource listen;
        private volatile JobSerializer serializer;
        private boolean typedHandlers;
        private boolean recurring = true;
        private Duration keepFinished = Duration.ofDays(7);

        private Builder(Sentinel sentinel) {
            this.sentinel = sentinel;
        }

        /**
         * Registers the handler of a job type. Only job types with a handler are claimed.
         *
         * @param type the job type
         * @param handler the code
         * @return this builder
         */
        public Builder handler(String type, JobHandler handler) {
            handlers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Registers the handler of a job type that takes its payload as an object, read by
         * {@link #serializer}. A payload that does not fit the class fails the attempt like an
         * exception of the handler (retried, then dead), with the serializer's message.
         *
         * @param type the job type
         * @param payloadType the payload's class, such as a record
         * @param handler the code
         * @param <T> the payload type
         * @return this builder
         */
        public <T> Builder handler(String type, Class<T> payloadType, TypedJobHandler<T> handler) {
            Objects.requireNonNull(payloadType, "payloadType");
            Objects.requireNonNull(handler, "handler");
            // Reads the serializer when the job runs, so that the order of the builder's calls does not matter.
            typedHandlers = true;
            return handler(type, (tx, job) -> handler.handle(tx, job, serializer().read(job.payload(), payloadType)));
        }

        /**
         * Whether this pool enqueues the jobs of recurring schedules ({@link Jobs#schedule}) whose
         * tick has come, looking every {@link #pollInterval} by the service's clock
         * ({@link Sentinel#clock()}); on by default. Any number of pools may do it at once: each tick
         * enqueues one job across all of them.
         *
         * @param recurring {@code false} to leave schedules to other pools
         * @return this builder
         */
        public Builder recurring(boolean recurring) {
            this.recurring = recurring;
            return this;
        }

        /**
         * Retention: every five minutes the pool deletes succeeded and cancelled jobs that finished
         * more than {@code age} ago, in small batches that never hold up claims
         * ({@link JobQueue#pruneFinished}); dead jobs stay until handled. Default 7 days;
         * {@code null} keeps finished jobs for ever.
         *
         * @param age how long finished jobs are kept, or {@code null}
         * @return this builder
         */
        public Builder keepFinished(Duration age) {
            this.keepFinished = age;
            return this;
        }

        /**
         * The serializer that typed handlers read payloads with; default {@link JobSerializer#jackson()}
         * (Jackson must then be on the class path).
         *
         * @param serializer the serializer
         * @return this builder
         */
        public Builder serializer(JobSerializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        private JobSerializer serializer() {
            if (serializer == null) {
                serializer = JobSerializer.jackson();
            }
            return serializer;
        }

        /**
         * Works a queue with up to {@code concurrency} jobs at a time.
         *
         * @param name the queue
         * @param concurrency 1 to 1000
         * @return this builder
         */
        public Builder queue(String name, int concurrency) {
            queues.put(Objects.requireNonNull(name, "name"), concurrency);
            return this;
        }

        /**
         * Names this worker in leases; default {@code worker-<pid>-<random>}.
         *
         * @param workerId 1 to 200 characters
         * @return this builder
         */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /**
         * The wait between claims when a queue ran dry; default 1 second.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /**
         * The lease length; default 30 seconds. A job whose worker stops heartbeating is rescued
         * after at most this long (plus the rescue interval).
         *
         * @param lease positive
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /**
         * How often running jobs' leases are extended; default a third of the lease.
         *
         * @param interval positive, below the lease
         * @return this builder
         */
        public Builder heartbeatEvery(Duration interval) {
            this.heartbeatEvery = interval;
            return this;
        }

        /**
         * How often this worker runs the rescuer; default the lease length.
         *
         * @param interval positive, or {@code null} to leave rescuing to other workers
         * @return this builder
         */
        public Builder rescueEvery(Duration interval) {
            this.rescueEvery = interval;
            this.rescue = interval != null;
            return this;
        }

        /**
         * The most jobs one claim takes (never more than free slots); default 100.
         *
         * @param size 1 to 1000
         * @return this builder
         */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Per queue, how many claimed jobs may wait for a free handler thread; default eight per
         * handler thread (the queue's concurrency), at least 16 and at most 1000. Prefetching makes
         * claims larger and fewer (a busy queue claims once half its slots are free) and keeps the
         * handler threads busy while the next claim runs; the waiting jobs hold leases (heartbeated),
         * and shutdown releases them without running them. With several pools on one queue, a smaller
         * prefetch spreads jobs more evenly between them.
         *
         * @param jobs 0 to 1000
         * @return this builder
         */
        public Builder prefetch(int jobs) {
            this.prefetch = jobs;
            return this;
        }

        /**
         * The delay policy after a failed attempt; default {@link Backoff#defaults()}.
         *
         * @param backoff the policy
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /**
         * The options of every handler's transaction; default {@link TxOptions#defaults()}. A
         * statement timeout bounds each statement a handler runs: a handler stuck in a statement
         * (waiting for a lock, say) otherwise keeps its job, since its lease is extended heartbeat
         * after heartbeat. A statement that times out fails the attempt with
         * {@link dev.sentinel.core.StatementTimeoutException}, which is retried like any failure.
         * Retries on serialization failures re-run the handler within the same attempt. A request
         * id cannot be set (each job's transaction gets its own), nor read-only (the completion
         * writes).
         *
         * @param options the options, such as {@code TxOptions.defaults().withStatementTimeout(Duration.ofSeconds(30))}
         * @return this builder
         */
        public Builder handlerOptions(TxOptions options) {
            this.handlerOptions = options;
            return this;
        }

        /**
         * Wakes a queue as soon as a job due now is enqueued for it, rather than at its next poll:
         * a listener thread holds one connection of {@code directConnections} with
         * {@code LISTEN sentinel_jobs}, on which a trigger of {@code sentinel.jobs} notifies at
         * commit (a rolled-back enqueue notifies nothing). The connections must be sessions of their
         * own, straight to PostgreSQL or through PgBouncer in session mode, not transaction pooling;
         * Sentinel's own data source is fine when it is direct (size it one larger). Jobs due later
         * (run-at, retries after backoff, snoozes) still start at a poll, so keep a poll interval;
         * it can be longer with this on. A lost listening connection is logged and opened again
         * with a backoff of up to 30 seconds, polling meanwhile; once it listens again, every
         * queue claims once, for what was enqueued in between. Off by default.
         *
         * @param directConnections a data source of session connections as the application role
         * @return this builder
         */
        public Builder listen(DataSource directConnections) {
            this.listen = Objects.requireNonNull(directConnections, "directConnections");
            return this;
        }

        /**
         * Validates the configuration and starts the workers.
         *
         * @return the running workers; close them at shutdown
         * @throws ConfigurationException naming the setting that is wrong
         */
        public JobWorkers start() {
            if (typedHandlers) {
                serializer(); // without Jackson and without a serializer of its own: fails here, not at the first job
            }
            if (handlers.isEmpty()) {
                throw new ConfigurationException("JobWorkers: no handler; register one with handler(type, handler)");
            }
            if (queues.isEmpty()) {
                throw new ConfigurationException("JobWorkers: no queue; add one with queue(\"default\", concurrency)");
            }
            queues.forEach((name, concurrency) -> {
                if (!QUEUE.matcher(name).matches() || concurrency < 1 || concurrency > 1000) {
                    throw new ConfigurationException("JobWorkers: queue '" + name + "' with concurrency " + concurrency
                            + ": the name must be a queue name and the concurrency 1 to 1000");
                }
            });
            if (workerId == null || workerId.isBlank() || workerId.length() > 200) {
                throw new ConfigurationException("JobWorkers: workerId must be 1 to 200 characters");
            }
            requirePositive("pollInterval", pollInterval);
            if (keepFinished != null) {
                requirePositive("keepFinished", keepFinished);
            }
            requirePositive("lease", lease);
            Duration beat = heartbeatEvery == null ? lease.dividedBy(3) : heartbeatEvery;
            requirePositive("heartbeatEvery", beat);
            if (beat.compareTo(lease) >= 0) {
                throw new ConfigurationException("JobWorkers: heartbeatEvery " + beat + " must be shorter than the lease " + lease);
            }
            Duration sweep = rescue ? (rescueEvery == null ? lease : rescueEvery) : null;
            if (sweep != null) {
                requirePositive("rescueEvery", sweep);
            }
            if (batchSize < 1 || batchSize > 1000) {
                throw new ConfigurationException("JobWorkers: batchSize " + batchSize + " is outside 1..1000");
            }
            if (prefetch != null && (prefetch < 0 || prefetch > 1000)) {
                throw new ConfigurationException("JobWorkers: prefetch " + prefetch + " is outside 0..1000");
            }
            if (backoff == null) {
                throw new ConfigurationException("JobWorkers: backoff is null; use Backoff.defaults()");
            }
            if (handlerOptions == null || handlerOptions.readOnly() || handlerOptions.requestId().isPresent()) {
                throw new ConfigurationException("JobWorkers: handlerOptions must be set, not read-only (the completion"
                        + " writes) and without a request id (each job's transaction gets its own); start from TxOptions.defaults()");
            }
            TxOptions options = handlerOptions;
            WorkerPool.Settings settings = new WorkerPool.Settings(workerId, Map.copyOf(handlers), Map.copyOf(queues),
                    pollInterval, lease, beat, sweep, batchSize, prefetch == null ? -1 : prefetch, backoff, listen);
            return new JobWorkers(new WorkerPool(settings, sentinel.jobQueue(),
                    tenantId -> sentinel.tenant(tenantId, JobQueueImpl.ACTOR).with(options), recurring ? sentinel.clock() : null, keepFinished));
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new ConfigurationException("JobWorkers: " + name + " must be a positive duration, not " + value);
            }
        }
    }
}
