package dev.sentinel.core.internal;

import dev.sentinel.core.Scope;
import dev.sentinel.core.jobs.Backoff;
import dev.sentinel.core.jobs.ClaimedJob;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobHandler;
import dev.sentinel.core.jobs.JobLease;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobQueue;
import dev.sentinel.core.jobs.LeaseLostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine behind {@link dev.sentinel.core.jobs.JobWorkers}: per queue, one polling thread that
 * claims as many jobs as it has free slots and a fixed pool of handler threads; one scheduler
 * thread for heartbeats and the rescuer; with LISTEN, one listener thread that ends a poller's
 * wait when a job due now is enqueued for its queue. Thread-safe.
 */
public final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    /** MDC key that carries the job's id while its handler runs. */
    public static final String MDC_JOB_ID = "sentinel.job_id";

    /**
     * The settings, validated by the builder.
     *
     * @param workerId the lease owner name
     * @param handlers handler per job type
     * @param queues concurrency per queue
     * @param pollInterval the wait after a claim that found fewer jobs than slots
     * @param lease the lease length
     * @param heartbeatEvery how often running leases are extended
     * @param rescueEvery how often expired leases are swept, or {@code null} for never
     * @param batchSize the most jobs one claim takes
     * @param prefetch per queue, how many claimed jobs may wait for a free handler thread; -1 for the queue's concurrency
     * @param backoff the retry delay policy
     * @param listen direct connections for LISTEN, or {@code null} to poll only
     */
    public record Settings(String workerId, Map<String, JobHandler> handlers, Map<String, Integer> queues,
            Duration pollInterval, Duration lease, Duration heartbeatEvery, Duration rescueEvery, int batchSize, int prefetch, Backoff backoff,
            DataSource listen) {
    }

    /** The channel of the jobs migration's (V7) trigger; the payload is the queue that received a job due now. */
    static final String CHANNEL = "sentinel_jobs";
    private static final Duration LISTEN_RETRY_MAX = Duration.ofSeconds(30);
    /** The default prefetch of a queue: {@link #PREFETCH_PER_THREAD} per handler thread, and at least this many. */
    static final int DEFAULT_PREFETCH = 16;
    /**
     * Prefetched jobs per handler thread by default. One poller claims for all of a queue's threads,
     * one claim at a time, once half the slots are free: the half still held must keep every thread
     * busy while the claim runs (a claim costs several completions' time), or the threads wait for it.
     */
    static final int PREFETCH_PER_THREAD = 8;
    /** How often a pool prunes finished jobs; pools that prune at once skip each other's rows. */
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(5);

    private final Settings settings;
    private final JobQueue queue;
    private final Function<UUID, Scope> tenantScope;
    private final List<String> types;
    /**
     * The leases this pool holds, by lease token: claimed jobs, running or waiting for a thread.
     * Keyed by token, not job id: a job whose lease lapsed while its handler ran may be claimed
     * again by this same pool, and the stale run ending must not drop the new claim's lease (which
     * would then go without heartbeats and be left running at shutdown).
     */
    private final Map<UUID, JobLease> running = new ConcurrentHashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Per queue, a permit that ends its poller's wait early: a notification, or shutdown. */
    private final Map<String, Semaphore> wakeups = new ConcurrentHashMap<>();
    private final List<Thread> pollers = new ArrayList<>();
    private Thread listener;
    private final List<ExecutorService> executors = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private volatile boolean stopping;
    private final Observer observer;

    /**
     * Creates and starts the pool.
     *
     * @param settings the settings
     * @param queue the queue to claim from
     * @param tenantScope the scope of a job's tenant, for its handler
     */
    public WorkerPool(Settings settings, JobQueue queue, Function<UUID, Scope> tenantScope) {
        this(settings, queue, tenantScope, null, null);
    }

    /**
     * Creates and starts the pool.
     *
     * @param settings the settings
     * @param queue the queue to claim from
     * @param tenantScope the scope of a job's tenant, for its handler
     * @param scheduleClock the clock recurring jobs tick by, or {@code null} for a pool that leaves them to others
     * @param keepFinished how long finished jobs are kept, or {@code null} for ever
     */
    public WorkerPool(Settings settings, JobQueue queue, Function<UUID, Scope> tenantScope, java.time.Clock scheduleClock,
            Duration keepFinished) {
        this.settings = settings;
        this.queue = queue;
        this.tenantScope = tenantScope;
        this.observer = Observer.of(queue);
        this.types = List.copyOf(settings.handlers().keySet());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sentinel-jobs-" + settings.workerId() + "-lease"));
        long beat = settings.heartbeatEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeatAll, beat, beat, TimeUnit.MILLISECONDS);
        if (settings.rescueEvery() != null) {
            long rescue = settings.rescueEvery().toMillis();
            scheduler.scheduleWithFixedDelay(this::rescue, rescue, rescue, TimeUnit.MILLISECONDS);
        }
        if (keepFinished != null) {
            long every = PRUNE_EVERY.toMillis();
            scheduler.scheduleWithFixedDelay(() -> prune(keepFinished), every, every, TimeUnit.MILLISECONDS);
        }
        if (scheduleClock != null) {
            long every = settings.pollInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> tickSchedules(scheduleClock), 0, every, TimeUnit.MILLISECONDS);
        }
        settings.queues().keySet().forEach(name -> wakeups.put(name, new Semaphore(0)));
        settings.queues().forEach((name, concurrency) -> {
            ExecutorService executor = Executors.newFixedThreadPool(concurrency,
                    DaemonThreads.named("sentinel-jobs-" + settings.workerId() + "-" + name));
            executors.add(executor);
            Thread poller = DaemonThreads.named("sentinel-jobs-" + settings.workerId() + "-" + name + "-poll")
                    .newThread(() -> poll(name, concurrency, executor));
            pollers.add(poller);
            poller.start();
        });
        if (settings.listen() != null) {
            listener = DaemonThreads.named("sentinel-jobs-" + settings.workerId() + "-listen").newThread(this::listen);
            listener.start();
        }
    }

    private void poll(String name, int concurrency, ExecutorService executor) {
        // Slots are handler threads plus prefetched jobs waiting for one: claiming a few ahead makes
        // claims larger and fewer. Prefetched jobs are leased and heartbeated like running ones.
        int total = concurrency + (settings.prefetch() < 0
                ? Math.min(1000, Math.max(DEFAULT_PREFETCH, PREFETCH_PER_THREAD * concurrency)) : settings.prefetch());
        Semaphore slots = new Semaphore(total);
        // A busy queue claims once half its slots are free, so that claims stay large (a claim costs
        // one round trip however many jobs it takes); the prefetched half keeps the handler threads
        // busy meanwhile. After a poll interval it claims whatever is free.
        int threshold = Math.max(1, Math.min(settings.batchSize(), total / 2));
        long waitMillis = settings.pollInterval().toMillis();
        while (!stopping) {
            try {
                if (slots.tryAcquire(threshold, waitMillis, TimeUnit.MILLISECONDS)) {
                    slots.release(threshold);
                } else if (slots.availablePermits() == 0) {
                    continue;
                }
                int asked = Math.min(slots.availablePermits(), settings.batchSize());
                List<ClaimedJob> claimed;
                try {
                    claimed = queue.claim(name, types, settings.workerId(), asked, settings.lease());
                } catch (RuntimeException e) {
                    LOG.warn("Claiming jobs from queue {} failed; retrying in {}: {}", name, settings.pollInterval(), e.getMessage(), e);
                    idle(name, waitMillis);
                    continue;
                }
                for (ClaimedJob job : claimed) {
                    slots.acquire(); // never waits: only this thread takes slots, and it asked for no more than were free
                    running.put(job.lease().token(), job.lease());
                    try {
                        executor.execute(() -> {
                            try {
                                run(job);
                            } finally {
                                slots.release();
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        slots.release(); // shutting down: the job stays in running, and shutdown releases it
                    }
                }
                if (claimed.size() < asked) {
                    idle(name, waitMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits for the poll interval, or less if a job due now is enqueued for the queue or the pool stops. */
    private void idle(String queueName, long waitMillis) throws InterruptedException {
        Semaphore wakeup = wakeups.get(queueName);
        if (wakeup.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            wakeup.drainPermits(); // several notifications during one claim need one more claim, not several
        }
    }

    private void wake(String queueName) {
        Semaphore wakeup = wakeups.get(queueName);
        if (wakeup != null && wakeup.availablePermits() == 0) {
            wakeup.release();
        }
    }

    /**
     * The listener thread: LISTEN on one direct connection and wake the queue each notification
     * names. After a lost connection it reconnects with a backoff while the pollers go on polling,
     * and wakes every queue once it listens again, for the jobs enqueued while it did not.
     */
    private void listen() {
        long retryMillis = 500;
        while (!stopping) {
            try (Connection connection = settings.listen().getConnection()) {
                try {
                    subscribe(connection);
                    retryMillis = 500;
                    relayNotifications(connection);
                } finally {
                    unlisten(connection);
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.warn("Listening for enqueued jobs failed; polling every {} meanwhile, listening again in {} ms: {}",
                        settings.pollInterval(), retryMillis, e.getMessage());
                try {
                    stop.await(retryMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                retryMillis = Math.min(retryMillis * 2, LISTEN_RETRY_MAX.toMillis());
            }
        }
    }

    /** Starts listening, then wakes every queue once, for what was enqueued while nobody listened. */
    private void subscribe(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        wakeups.keySet().forEach(this::wake);
    }

    /** Wakes the queue each notification names, until the pool stops or the connection fails. */
    private void relayNotifications(Connection connection) throws SQLException {
        PGConnection notifications = connection.unwrap(PGConnection.class);
        while (!stopping) {
            PGNotification[] received = notifications.getNotifications(500); // null when none came within 500 ms
            for (PGNotification notification : received == null ? new PGNotification[0] : received) {
                wake(notification.getParameter());
            }
        }
    }

    /** A pooled connection goes back without its LISTEN, or its next user would collect notifications forever. */
    private static void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException e) {
            // The connection is broken; the pool discards it, and its LISTEN ended with its session.
        }
    }

    private void run(ClaimedJob claimed) {
        Job job = claimed.job();
        if (stopping) {
            return; // prefetched but not started: left in running, so shutdown releases it
        }
        // The job's id and the trace of the request that enqueued it, for the handler's logs and
        // for the jobs it enqueues in turn.
        String previousTrace = MDC.get(TraceContext.MDC_KEY);
        MDC.put(MDC_JOB_ID, job.id().toString());
        if (job.traceparent() != null) {
            MDC.put(TraceContext.MDC_KEY, job.traceparent());
        }
        long started = System.nanoTime();
        String outcome = runHandler(claimed);
        observer.job(job.queue(), job.type(), outcome, System.nanoTime() - started);
        MDC.remove(MDC_JOB_ID);
        if (previousTrace == null) {
            MDC.remove(TraceContext.MDC_KEY);
        } else {
            MDC.put(TraceContext.MDC_KEY, previousTrace);
        }
    }

    /** Runs a claimed job's handler and records its end; returns the outcome for the observer. */
    private String runHandler(ClaimedJob claimed) {
        Job job = claimed.job();
        JobLease lease = claimed.lease();
        try {
            JobHandler handler = settings.handlers().get(job.type());
            boolean[] snoozed = {false};
            tenantScope.apply(job.tenantId()).useTransaction(tx -> {
                JobOutcome outcome = invoke(handler, tx, job);
                if (outcome != null && outcome.snoozeFor() != null) {
                    JobQueueImpl.jobs(tx).snooze(lease, outcome.snoozeFor());
                    snoozed[0] = true;
                } else {
                    // In the handler's transaction: its writes and the completion commit together,
                    // or not at all if the lease was lost meanwhile. The completion goes out with the
                    // COMMIT in one round trip, and with the transaction's settings too when the
                    // handler sent nothing.
                    TxImpl txImpl = (TxImpl) tx;
                    txImpl.finishWith(JobsImpl.completion(lease, outcome == null ? null : outcome.result(),
                            txImpl.runner().onCitus()));
                }
            });
            return snoozed[0] ? "snoozed" : "succeeded";
        } catch (LeaseLostException e) {
            LOG.info("Job {} of tenant {}: {}", job.id(), job.tenantId(), e.getMessage());
            return "lease_lost";
        } catch (Exception | Error e) {
            try {
                queue.fail(lease, describe(e), settings.backoff());
            } catch (LeaseLostException lost) {
                LOG.info("Job {} failed after its lease was lost: {}", job.id(), e.toString());
            } catch (RuntimeException failing) {
                failing.addSuppressed(e);
                LOG.warn("Recording the failure of job {} failed; the rescuer will requeue it when its lease expires", job.id(), failing);
            }
            return "failed";
        } finally {
            running.remove(lease.token());
        }
    }

    /** The one place a handler is called: what observes job runs wraps this. */
    private static JobOutcome invoke(JobHandler handler, dev.sentinel.core.Tx tx, Job job) throws Exception {
        return handler.handle(tx, job);
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && text.length() < 4000; cause = cause.getCause()) {
            text.append("\ncaused by: ").append(cause);
        }
        return text.toString();
    }

    private void heartbeatAll() {
        for (Map.Entry<UUID, JobLease> entry : running.entrySet()) {
            JobLease lease = entry.getValue();
            try {
                JobLease extended = queue.heartbeat(lease, settings.lease());
                running.replace(entry.getKey(), lease, extended);
            } catch (LeaseLostException e) {
                running.remove(entry.getKey(), lease);
            } catch (RuntimeException e) {
                LOG.warn("Heartbeat of job {} failed: {}", lease.jobId(), e.getMessage(), e);
            }
        }
    }

    private void prune(Duration keepFinished) {
        try {
            int pruned = queue.pruneFinished(keepFinished, 1000);
            if (pruned > 0) {
                LOG.debug("Pruned {} finished job(s) older than {}", pruned, keepFinished);
            }
        } catch (RuntimeException e) {
            LOG.warn("Pruning finished jobs failed; trying again in {}: {}", PRUNE_EVERY, e.getMessage(), e);
        }
    }

    private void tickSchedules(java.time.Clock clock) {
        try {
            ((JobQueueImpl) queue).tickSchedules(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Enqueuing the jobs of due schedules failed; trying again at the next poll: {}", e.getMessage(), e);
        }
    }

    private void rescue() {
        try {
            int rescued = queue.rescueExpired();
            if (rescued > 0) {
                LOG.info("Rescued {} job(s) with expired leases", rescued);
            }
        } catch (RuntimeException e) {
            LOG.warn("Rescuing expired leases failed: {}", e.getMessage(), e);
        }
    }

    /**
     * Stops claiming, waits up to {@code timeout} for running handlers, then gives the unfinished
     * jobs back to the queue (their attempt not counted) and interrupts their handlers, whose
     * completion the fence then refuses.
     *
     * @param timeout how long to wait for running handlers
     * @return how many unfinished jobs were released
     */
    public int shutdown(Duration timeout) {
        stopping = true;
        stop.countDown();
        wakeups.values().forEach(Semaphore::release);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // A poller stops after at most the claim it is in; wait for it (at least 10 s), so that no
            // claim lands after the release below.
            for (Thread poller : pollers) {
                poller.join(Math.max(10_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (ExecutorService executor : executors) {
                executor.shutdown();
            }
            for (ExecutorService executor : executors) {
                executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        if (listener != null) {
            try {
                listener.join(10_000); // it notices stopping within one getNotifications wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int released = 0;
        for (JobLease lease : List.copyOf(running.values())) {
            try {
                queue.release(lease);
                released++;
            } catch (LeaseLostException e) {
                // finished or lost meanwhile
            } catch (RuntimeException e) {
                LOG.warn("Releasing job {} at shutdown failed; the rescuer will requeue it when its lease expires", lease.jobId(), e);
            }
        }
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
        }
        try {
            for (ExecutorService executor : executors) {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return released;
    }

    /**
     * Whether the pool has not been shut down.
     *
     * @return {@code true} until {@link #shutdown}
     */
    public boolean running() {
        return !stopping;
    }
}
