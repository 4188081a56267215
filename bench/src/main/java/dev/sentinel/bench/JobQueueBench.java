package dev.sentinel.bench;

import static dev.sentinel.core.db.Tables.TENANTS;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobOutcome;
import dev.sentinel.core.jobs.JobWorkers;
import dev.sentinel.core.jobs.NewJob;
import dev.sentinel.schema.Roles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Sentinel's job queue against db-scheduler on the same database, in the same run. Two
 * measurements per system:
 *
 * <ul>
 *   <li><b>Throughput</b>: one producer thread enqueues {@code jobs} jobs, one per transaction (as
 *       requests do), spread over {@value #TENANT_COUNT} tenants; then 1 or 4 workers claim, run (a
 *       handler that does nothing) and complete them all. Enqueue and drain are timed apart and
 *       together ({@code jobs / (enqueue + drain)}).</li>
 *   <li><b>Enqueue-to-start latency</b>: with 4 idle workers, one job enqueued every
 *       {@value #LATENCY_SPACING_MS} ms; the time from the start of the enqueuing call to the start
 *       of the handler, at a poll interval of 1 s (Sentinel's default) and 100 ms for both; for
 *       Sentinel also at 1 s with LISTEN ({@code JobWorkers.Builder.listen}), and for db-scheduler
 *       also with its in-process immediate execution.</li>
 * </ul>
 *
 * Sentinel: {@code tx.jobs().enqueue} in a tenant transaction, {@link JobWorkers} (each handler in a
 * transaction of the job's tenant, completion in it). db-scheduler 16: {@code SchedulerClient.schedule}
 * of a one-time task (one insert, auto-commit), a {@link Scheduler} with its default polling
 * strategy (fetch, then lock each execution on execute) and, as a second line, lock-and-fetch
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}), which its documentation recommends for PostgreSQL at
 * high throughput. Not thread-safe; run once.
 */
final class JobQueueBench {

    static final int TENANT_COUNT = 10;
    static final int LATENCY_SPACING_MS = 20;
    private static final String TYPE = "bench.noop";
    private static final Pattern N = Pattern.compile("\"n\":\\s*(\\d+)");

    /**
     * One throughput run.
     *
     * @param system the system and its configuration
     * @param workers worker threads
     * @param jobs jobs enqueued and drained
     * @param enqueueSeconds the enqueue phase
     * @param drainSeconds the drain phase: first claim to last completion committed
     */
    record Throughput(String system, int workers, int jobs, double enqueueSeconds, double drainSeconds, Server enqueue, Server drain) {

        double enqueuePerSecond() {
            return jobs / enqueueSeconds;
        }

        double drainPerSecond() {
            return jobs / drainSeconds;
        }

        double endToEndPerSecond() {
            return jobs / (enqueueSeconds + drainSeconds);
        }
    }

    /**
     * What the server did during a drain, from pg_stat_statements (the run's own statements, not the
     * benchmark's polling for the end).
     *
     * @param statements statements executed (each of a pipelined batch counts, BEGIN and COMMIT too)
     * @param millis their execution time on the server
     */
    record Server(long statements, double millis) {

        Server minus(Server before) {
            return new Server(statements - before.statements, millis - before.millis);
        }
    }

    /** Prints the statements that took the most server time so far (for the breakdown by hand). */
    private void printTopStatements() {
        try (Connection connection = Fixture.dataSource(url, user, password).getConnection();
                PreparedStatement top = connection.prepareStatement("select calls, round(total_exec_time::numeric, 1),"
                        + " round((total_exec_time / calls * 1000)::numeric, 1), left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                        + " from pg_stat_statements order by total_exec_time desc limit 15");
                ResultSet rs = top.executeQuery()) {
            System.out.println("Job queue: statements by server time (calls, total ms, µs per call, query):");
            while (rs.next()) {
                System.out.printf("  %8d %10s %8s  %s%n", rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        } catch (SQLException e) {
            System.out.println("Job queue: could not read pg_stat_statements: " + e.getMessage());
        }
    }

    /** The totals of pg_stat_statements so far, without the benchmark's own counting queries. */
    private Server serverTotals() {
        try (Connection connection = Fixture.dataSource(url, user, password).getConnection();
                PreparedStatement totals = connection.prepareStatement("select coalesce(sum(calls), 0)::bigint,"
                        + " coalesce(sum(total_exec_time), 0) from pg_stat_statements where query not like '%count(%'"
                        + " and query not like '%pg_stat_statements%' and query not like '%min(run_at)%'");
                ResultSet rs = totals.executeQuery()) {
            rs.next();
            return new Server(rs.getLong(1), rs.getDouble(2));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading pg_stat_statements failed: " + e.getMessage(), e);
        }
    }

    /**
     * One latency run.
     *
     * @param system the system and its configuration
     * @param micros enqueue-to-start latency of each job, µs, sorted
     */
    record Latency(String system, List<Double> micros) {

        double percentile(double q) {
            return Report.quantile(micros, q);
        }
    }

    /**
     * What the run found.
     *
     * @param throughput the throughput runs
     * @param latency the latency runs
     */
    record Results(List<Throughput> throughput, List<Latency> latency) {
    }

    private final String url;
    private final String user;
    private final String password;
    private final int jobs;
    private final int latencyJobs;

    JobQueueBench(String url, String user, String password, int jobs, int latencyJobs) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.jobs = jobs;
        this.latencyJobs = latencyJobs;
    }

    Results run() throws Exception {
        List<Throughput> throughput = new ArrayList<>();
        List<Latency> latency = new ArrayList<>();
        try (HikariDataSource sentinelPool = pool("bench-jobs-sentinel", user, false);
                HikariDataSource systemPool = pool("bench-jobs-sentinel-system", Roles.DEFAULT_SYSTEM, false);
                HikariDataSource schedulerPool = pool("bench-jobs-db-scheduler", user, true);
                Sentinel sentinel = Sentinel.builder().dataSource(sentinelPool).systemDataSource(systemPool).build()) {
            List<UUID> tenants = new ArrayList<>();
            for (int i = 0; i < TENANT_COUNT; i++) {
                tenants.add(sentinel.system(Actor.service("bench-setup")).inTransaction(tx -> tx.table(TENANTS)
                        .insert(new TenantsRecord().setSlug("jobs-" + UUID.randomUUID().toString().substring(0, 12))
                                .setName("Job queue benchmark")).getId()));
            }
            // A short untimed pass of each system first: class loading, JIT, prepared statements.
            sentinelThroughput(sentinel, tenants, 4, Math.min(200, jobs), false, "warmup");
            sentinelThroughput(sentinel, tenants, 4, Math.min(200, jobs), true, "warmup-batch");
            schedulerThroughput(schedulerPool, 4, Math.min(200, jobs), false, false, "warmup");
            schedulerThroughput(schedulerPool, 4, Math.min(200, jobs), false, true, "warmup-batch");
            for (int workers : new int[] {1, 4}) {
                throughput.add(sentinelThroughput(sentinel, tenants, workers, jobs, false, "w" + workers));
                throughput.add(schedulerThroughput(schedulerPool, workers, jobs, false, false, "w" + workers));
                throughput.add(schedulerThroughput(schedulerPool, workers, jobs, true, false, "lf" + workers));
                throughput.add(sentinelThroughput(sentinel, tenants, workers, jobs, true, "b" + workers));
                throughput.add(schedulerThroughput(schedulerPool, workers, jobs, true, true, "blf" + workers));
            }
            for (Duration poll : List.of(Duration.ofSeconds(1), Duration.ofMillis(100))) {
                latency.add(sentinelLatency(sentinel, tenants, poll, null));
                latency.add(schedulerLatency(schedulerPool, poll, false));
            }
            printTopStatements();
            latency.add(sentinelLatency(sentinel, tenants, Duration.ofSeconds(1), sentinelPool));
            latency.add(schedulerLatency(schedulerPool, Duration.ofSeconds(1), true));
        }
        return new Results(throughput, latency);
    }

    // ---------------------------------------------------------------------------------- Sentinel

    /** With {@code batch}, each tenant's share goes in with one {@code enqueueAll} in one transaction. */
    private Throughput sentinelThroughput(Sentinel sentinel, List<UUID> tenants, int workers, int count, boolean batch, String run)
            throws Exception {
        String queue = "bench-" + run;
        JobOptions options = JobOptions.defaults().queue(queue);
        Server beforeEnqueue = serverTotals();
        long start = System.nanoTime();
        if (batch) {
            for (int t = 0; t < tenants.size(); t++) {
                List<NewJob> share = new ArrayList<>();
                for (int n = t; n < count; n += tenants.size()) {
                    share.add(new NewJob(TYPE, "{\"n\": " + n + "}", options));
                }
                sentinel.tenant(tenants.get(t), Actor.service("bench-producer")).useTransaction(tx -> tx.jobs().enqueueAll(share));
            }
        } else {
            for (int n = 0; n < count; n++) {
                String payload = "{\"n\": " + n + "}";
                sentinel.tenant(tenants.get(n % tenants.size()), Actor.service("bench-producer"))
                        .useTransaction(tx -> tx.jobs().enqueue(TYPE, payload, options));
            }
        }
        long enqueued = System.nanoTime();
        Server enqueue = serverTotals().minus(beforeEnqueue);
        CountDownLatch done = new CountDownLatch(count);
        long drainStart;
        Server before = serverTotals();
        try (JobWorkers pool = JobWorkers.builder(sentinel).workerId("bench-" + run)
                .handler(TYPE, (tx, job) -> {
                    done.countDown();
                    return JobOutcome.done();
                })
                .queue(queue, workers).pollInterval(Duration.ofMillis(100)).start()) {
            drainStart = System.nanoTime();
            await(done, run);
            awaitCommitted(() -> sentinel.jobQueue().stats().count(queue, JobState.SUCCEEDED) == count, run);
        }
        long drained = System.nanoTime();
        return new Throughput(batch ? "Sentinel, enqueueAll" : "Sentinel", workers, count, seconds(enqueued - start),
                seconds(drained - drainStart), enqueue, serverTotals().minus(before));
    }

    /** With {@code listen}, the workers also LISTEN on one of its connections (V26's notification at commit). */
    private Latency sentinelLatency(Sentinel sentinel, List<UUID> tenants, Duration poll, DataSource listen) throws Exception {
        String queue = "bench-latency-" + poll.toMillis() + (listen == null ? "" : "-listen");
        JobOptions options = JobOptions.defaults().queue(queue);
        Map<Integer, Long> enqueuedAt = new ConcurrentHashMap<>();
        List<Double> micros = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(latencyJobs);
        JobWorkers.Builder workers = JobWorkers.builder(sentinel).workerId(queue);
        if (listen != null) {
            workers.listen(listen);
        }
        try (JobWorkers pool = workers
                .handler(TYPE, (tx, job) -> {
                    long now = System.nanoTime();
                    Matcher m = N.matcher(job.payload());
                    if (m.find()) {
                        micros.add((now - enqueuedAt.get(Integer.parseInt(m.group(1)))) / 1_000.0);
                    }
                    done.countDown();
                    return JobOutcome.done();
                })
                .queue(queue, 4).pollInterval(poll).start()) {
            paced(latencyJobs, n -> {
                String payload = "{\"n\": " + n + "}";
                enqueuedAt.put(n, System.nanoTime());
                sentinel.tenant(tenants.get(n % tenants.size()), Actor.service("bench-producer"))
                        .useTransaction(tx -> tx.jobs().enqueue(TYPE, payload, options));
            });
            await(done, queue);
        }
        return new Latency("Sentinel, poll " + describe(poll) + (listen == null ? "" : " + LISTEN"), micros.stream().sorted().toList());
    }

    // ------------------------------------------------------------------------------ db-scheduler

    /** With {@code batch}, every job goes in with one {@code scheduleBatch} (JDBC batches, auto-commit). */
    private Throughput schedulerThroughput(DataSource dataSource, int workers, int count, boolean lockAndFetch, boolean batch,
            String run) throws Exception {
        CountDownLatch done = new CountDownLatch(count);
        OneTimeTask<Void> task = Tasks.oneTime("bench-" + run).execute((instance, context) -> done.countDown());
        SchedulerClient client = SchedulerClient.Builder.create(dataSource, task).build();
        Server beforeEnqueue = serverTotals();
        long start = System.nanoTime();
        Instant now = Instant.now();
        if (batch) {
            List<com.github.kagkarlsson.scheduler.task.TaskInstance<?>> instances = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                instances.add(task.instance(Integer.toString(n)));
            }
            client.scheduleBatch(instances, now);
        } else {
            for (int n = 0; n < count; n++) {
                client.schedule(task.instance(Integer.toString(n)), now);
            }
        }
        long enqueued = System.nanoTime();
        Server enqueue = serverTotals().minus(beforeEnqueue);
        SchedulerBuilder builder = Scheduler.create(dataSource, task).threads(workers).pollingInterval(Duration.ofMillis(100));
        if (lockAndFetch) {
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        Scheduler scheduler = builder.build();
        Server before = serverTotals();
        long drainStart = System.nanoTime();
        scheduler.start();
        try {
            await(done, run);
            awaitCommitted(() -> remaining(dataSource, task.getName()) == 0, run);
        } finally {
            scheduler.stop();
        }
        long drained = System.nanoTime();
        Server server = serverTotals().minus(before);
        return new Throughput((lockAndFetch ? "db-scheduler, lock-and-fetch" : "db-scheduler") + (batch ? ", scheduleBatch" : ""), workers, count,
                seconds(enqueued - start), seconds(drained - drainStart), enqueue, server);
    }

    private Latency schedulerLatency(DataSource dataSource, Duration poll, boolean immediate) throws Exception {
        String name = "bench-latency-" + poll.toMillis() + (immediate ? "-immediate" : "");
        Map<Integer, Long> enqueuedAt = new ConcurrentHashMap<>();
        List<Double> micros = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(latencyJobs);
        OneTimeTask<Void> task = Tasks.oneTime(name).execute((instance, context) -> {
            long now = System.nanoTime();
            micros.add((now - enqueuedAt.get(Integer.parseInt(instance.getId()))) / 1_000.0);
            done.countDown();
        });
        SchedulerBuilder builder = Scheduler.create(dataSource, task).threads(4).pollingInterval(poll);
        if (immediate) {
            builder.enableImmediateExecution();
        }
        Scheduler scheduler = builder.build();
        scheduler.start();
        try {
            paced(latencyJobs, n -> {
                enqueuedAt.put(n, System.nanoTime());
                // The running scheduler is also a client; with immediate execution it checks at once.
                scheduler.schedule(task.instance(Integer.toString(n)), Instant.now());
            });
            await(done, name);
        } finally {
            scheduler.stop();
        }
        return new Latency("db-scheduler, poll " + describe(poll) + (immediate ? ", immediate execution" : ""),
                micros.stream().sorted().toList());
    }

    private static int remaining(DataSource dataSource, String taskName) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from scheduled_tasks where task_name = ?")) {
            count.setString(1, taskName);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting db-scheduler's executions failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private static void paced(int count, IntConsumer enqueue) throws InterruptedException {
        long next = System.nanoTime();
        for (int n = 0; n < count; n++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            enqueue.accept(n);
            next += TimeUnit.MILLISECONDS.toNanos(LATENCY_SPACING_MS);
        }
    }

    private static void await(CountDownLatch done, String run) throws InterruptedException {
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Job run " + run + ": " + done.getCount() + " jobs did not run within 5 minutes");
        }
    }

    /** Polls until the last completions are committed (the handlers ran; their commits may still be in flight). */
    private static void awaitCommitted(java.util.function.BooleanSupplier committed, String run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!committed.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Job run " + run + ": completions not committed within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private HikariDataSource pool(String name, String role, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(Fixture.dataSource(url, role, password));
        config.setAutoCommit(autoCommit);
        config.setMaximumPoolSize(12);
        return new HikariDataSource(config);
    }

    private static String describe(Duration poll) {
        return poll.toMillis() >= 1000 ? poll.toSeconds() + " s" : poll.toMillis() + " ms";
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    // ------------------------------------------------------------------------------- the report

    /**
     * The report's section.
     *
     * @param results the runs, or {@code null} if the part did not run
     * @return Markdown
     */
    static String markdown(Results results) {
        if (results == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Job queue: Sentinel against db-scheduler\n\n");
        md.append("Throughput: one producer thread enqueues the jobs, one per transaction (Sentinel: `tx.jobs().enqueue` in a\n"
                + "tenant transaction, " + TENANT_COUNT + " tenants in turn; db-scheduler: `SchedulerClient.schedule` of a one-time task,\n"
                + "one auto-committed insert); then the workers claim, run (a handler that does nothing) and complete them\n"
                + "all, timed until the last completion is committed. Both poll every 100 ms when the queue runs dry.\n"
                + "End to end is jobs / (enqueue + drain). The batch lines enqueue with `tx.jobs().enqueueAll` (one\n"
                + "transaction per tenant) and `SchedulerClient.scheduleBatch` (JDBC batches, auto-commit), and are\n"
                + "compared with each other. The last four columns come from pg_stat_statements over the enqueue and over the\n"
                + "drain: statements executed per job (each statement of a pipelined batch counts, BEGIN and COMMIT too) and\n"
                + "their server time.\n\n");
        md.append("| system | workers | jobs | enqueue, jobs/s | claim + complete, jobs/s | end to end, jobs/s | end to end × Sentinel"
                + " | enqueue: statements per job | enqueue: server µs per job | drain: statements per job | drain: server µs per job |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Throughput t : results.throughput()) {
            Throughput sentinel = results.throughput().stream()
                    .filter(o -> o.system().equals("Sentinel") && o.workers() == t.workers()).findFirst().orElse(null);
            if (t.system().contains("Batch") || t.system().contains("enqueueAll")) {
                sentinel = results.throughput().stream().filter(o -> o.system().equals("Sentinel, enqueueAll")
                        && o.workers() == t.workers()).findFirst().orElse(sentinel);
            }
            md.append("| ").append(t.system()).append(" | ").append(t.workers()).append(" | ").append(t.jobs()).append(" | ")
                    .append(Report.number(t.enqueuePerSecond(), 0)).append(" | ")
                    .append(Report.number(t.drainPerSecond(), 0)).append(" | ")
                    .append("**").append(Report.number(t.endToEndPerSecond(), 0)).append("** | ")
                    .append(sentinel == null ? "–" : Report.number(t.endToEndPerSecond() / sentinel.endToEndPerSecond(), 2))
                    .append(" | ").append(Report.number((double) t.enqueue().statements() / t.jobs(), 1))
                    .append(" | ").append(Report.number(t.enqueue().millis() * 1000 / t.jobs(), 0))
                    .append(" | ").append(Report.number((double) t.drain().statements() / t.jobs(), 1))
                    .append(" | ").append(Report.number(t.drain().millis() * 1000 / t.jobs(), 0))
                    .append(" |\n");
        }
        md.append("\nEnqueue-to-start latency: 4 idle workers, one job enqueued every " + LATENCY_SPACING_MS + " ms; from the start of the\n"
                + "enqueuing call to the start of the handler. Without a wake-up signal a job waits for the next poll, so the\n"
                + "poll interval sets the latency: Sentinel's default is 1 s, db-scheduler's 10 s (compared here at 1 s and\n"
                + "100 ms); db-scheduler's immediate execution wakes its scheduler when the same JVM schedules a due job.\n\n");
        md.append("| system | jobs | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        for (Latency l : results.latency()) {
            md.append("| ").append(l.system()).append(" | ").append(l.micros().size()).append(" | ")
                    .append(Report.number(l.percentile(0.5) / 1000, 1)).append(" | ")
                    .append(Report.number(l.percentile(0.9) / 1000, 1)).append(" | ")
                    .append(Report.number(l.percentile(0.99) / 1000, 1)).append(" | ")
                    .append(Report.number(l.percentile(1.0) / 1000, 1)).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The chart's panel: end-to-end jobs per second.
     *
     * @param results the runs, or {@code null}
     * @return the panel
     */
    static Chart.Panel panel(Results results) {
        List<Chart.Bar> bars = new ArrayList<>();
        if (results != null) {
            for (Throughput t : results.throughput()) {
                bars.add(new Chart.Bar(t.workers() + (t.workers() == 1 ? " worker" : " workers"), t.system(), t.endToEndPerSecond(),
                        Report.number(t.endToEndPerSecond(), 0) + "/s (drain " + Report.number(t.drainPerSecond(), 0) + "/s)",
                        t.system().startsWith("Sentinel") ? Chart.SENTINEL : Chart.OTHER));
            }
        }
        return new Chart.Panel("Job queue: enqueue + claim + complete, jobs per second (higher is better)", bars, false,
                Double.NaN, "", "");
    }
}
