package dev.sentinel.core.internal;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Tx;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.jobs.Backoff;
import dev.sentinel.core.jobs.ClaimedJob;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobLease;
import dev.sentinel.core.jobs.JobQueue;
import dev.sentinel.core.jobs.JobStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Record;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.IdentityHashMap;

/**
 * {@link JobQueue}: claims and the rescuer's sweep in the system scope; fenced operations each in
 * a short transaction of the job's tenant, so a dead-lettering lands in that tenant's audit trail.
 */
public final class JobQueueImpl implements JobQueue {

    /** The actor of the queue's own transactions and of job handlers. */
    public static final Actor ACTOR = Actor.service("jobs");

    private static final java.util.regex.Pattern QUEUE = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    private final JobSystemAccess system;
    private final Function<UUID, Scope> tenantScope;

    /**
     * Creates the queue.
     *
     * @param system every access in the system scope: claims, sweeps, stats
     * @param tenantScope the scope of a tenant, for fenced operations
     */
    public JobQueueImpl(JobSystemAccess system, Function<UUID, Scope> tenantScope) {
        this.system = system;
        this.tenantScope = tenantScope;
    }

    @Override
    public List<ClaimedJob> claim(String queue, List<String> types, String workerId, int batch, Duration lease) {
        if (queue == null || !QUEUE.matcher(queue).matches()) {
            throw new InvalidInputException("claim: queue '" + queue + "' is not a queue name");
        }
        if (workerId == null || workerId.isBlank() || workerId.length() > 200) {
            throw new InvalidInputException("claim: workerId must be 1 to 200 characters");
        }
        if (batch < 1 || batch > 1000) {
            throw new InvalidInputException("claim: batch " + batch + " is outside 1..1000");
        }
        if (lease == null || lease.isZero() || lease.isNegative()) {
            throw new InvalidInputException("claim: lease must be a positive duration");
        }
        String[] typeArray = types == null || types.isEmpty() ? null : types.toArray(String[]::new);
        return system.pipelined((connection, dsl, setup) -> {
            // One round trip: the settings, the claim (sentinel.claim_jobs, V30: a fair pick across
            // the queue's tenants, then the lock, the leases and the round robin's marks, all in one
            // statement; on Citus one locking statement per tenant, each naming its tenant_id) and
            // the COMMIT. Outside Citus the text is the same on every claim (the settings are binds
            // too), so pgjdbc prepares it on the server once per connection.
            List<Record> rows;
            try (PreparedStatement statement = connection.prepareStatement(setup.sql()
                    + "; select * from sentinel.claim_jobs(?, ?::text[], ?, ?::int, ?::float8, ?::uuid); COMMIT")) {
                int next = setup.bind(statement);
                statement.setString(next, queue);
                statement.setArray(next + 1, typeArray == null ? null : connection.createArrayOf("text", typeArray));
                statement.setString(next + 2, workerId);
                statement.setInt(next + 3, batch);
                statement.setDouble(next + 4, JobsImpl.seconds(lease));
                statement.setObject(next + 5, UUID.randomUUID());
                rows = results(statement, dsl, setup.resultSets());
            }
            return inClaimOrder(rows);
        });
    }

    /**
     * The claimed rows in the order the pick ranked them: by rank within the tenant, then priority,
     * then the tenant served least recently (its served_at before this claim), then age.
     */
    private static List<ClaimedJob> inClaimOrder(List<Record> rows) {
        Map<UUID, Integer> rankCounter = new HashMap<>();
        List<Record> byTenant = new ArrayList<>(rows);
        byTenant.sort(Comparator.<Record, UUID>comparing(r -> r.get("tenant_id", UUID.class))
                .thenComparing(r -> -r.get("priority", Integer.class))
                .thenComparing(r -> r.get("run_at", OffsetDateTime.class))
                .thenComparing(r -> r.get("id", UUID.class)));
        Map<Record, Integer> rank = new IdentityHashMap<>();
        for (Record r : byTenant) {
            rank.put(r, rankCounter.merge(r.get("tenant_id", UUID.class), 1, Integer::sum));
        }
        byTenant.sort(Comparator.<Record, Integer>comparing(rank::get)
                .thenComparing(r -> -r.get("priority", Integer.class))
                .thenComparing(r -> r.get("served_at", OffsetDateTime.class), Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder()))
                .thenComparing(r -> r.get("run_at", OffsetDateTime.class))
                .thenComparing(r -> r.get("id", UUID.class)));
        return byTenant.stream().map(r -> new ClaimedJob(JobsImpl.job(r), JobsImpl.lease(r))).toList();
    }

    /** The rows of every result set a (multi-statement) statement returns, in order; update counts skipped. */
    static List<Record> results(PreparedStatement statement, DSLContext dsl) throws SQLException {
        return results(statement, dsl, 0);
    }

    /** The rows of every result set after the first {@code skip}, which belong to statements sent ahead. */
    static List<Record> results(PreparedStatement statement, DSLContext dsl, int skip) throws SQLException {
        List<Record> rows = new ArrayList<>();
        int skipped = 0;
        boolean isResultSet = statement.execute();
        while (true) {
            if (isResultSet) {
                try (ResultSet resultSet = statement.getResultSet()) {
                    if (skipped < skip) {
                        skipped++;
                    } else {
                        rows.addAll(dsl.fetch(resultSet));
                    }
                }
            } else if (statement.getUpdateCount() == -1) {
                return rows;
            }
            isResultSet = statement.getMoreResults();
        }
    }

    private <R> R inTenant(JobLease lease, Function<JobsImpl, R> work) {
        if (lease == null) {
            throw new InvalidInputException("lease is null");
        }
        return tenantScope.apply(lease.tenantId()).inTransaction(tx -> work.apply(jobs(tx)));
    }

    static JobsImpl jobs(Tx tx) {
        return (JobsImpl) tx.jobs();
    }

    @Override
    public JobLease heartbeat(JobLease lease, Duration extension) {
        positive("heartbeat: extension", extension);
        return inTenant(lease, jobs -> jobs.heartbeat(lease, extension));
    }

    @Override
    public Job complete(JobLease lease, String resultJson) {
        return inTenant(lease, jobs -> jobs.complete(lease, resultJson));
    }

    @Override
    public Job fail(JobLease lease, String error, Backoff backoff) {
        if (backoff == null) {
            throw new InvalidInputException("fail: backoff is null; pass Backoff.defaults()");
        }
        return inTenant(lease, jobs -> jobs.fail(lease, error, backoff));
    }

    @Override
    public Job snooze(JobLease lease, Duration delay) {
        positive("snooze: delay", delay);
        return inTenant(lease, jobs -> jobs.snooze(lease, delay));
    }

    @Override
    public Job release(JobLease lease) {
        return inTenant(lease, jobs -> jobs.snooze(lease, Duration.ZERO));
    }

    @Override
    public int rescueExpired() {
        // The message from immutable functions only: Citus refuses a stable one (a timestamptz or an
        // integer rendered by ||) called on a column in an UPDATE across shards.
        int requeued = system.inTransaction(tx -> tx.dsl().execute("update sentinel.jobs set state = 'queued',"
                + " last_error = 'lease of ' || lease_owner || ' expired '"
                + " || round(extract(epoch from now() - lease_expires_at), 1)::text || ' s before the rescue, during attempt '"
                + " || attempts::text,"
                + " lease_owner = null, lease_token = null, lease_expires_at = null, run_at = now()"
                + " where state = 'running' and lease_expires_at < now() and attempts < max_attempts"));
        List<JobLease> last = system.inTransaction(tx -> tx.dsl().resultQuery("select " + JobsImpl.COLUMNS
                + " from sentinel.jobs where state = 'running' and lease_expires_at < now() and attempts >= max_attempts"
                + " order by lease_expires_at limit 1000").fetch().map(JobsImpl::lease));
        int dead = 0;
        for (JobLease lease : last) {
            Optional<Job> job = inTenant(lease, jobs -> jobs.lockExpired(lease)
                    .map(locked -> jobs.dead(lease, "lease of " + lease.owner() + " expired at " + locked.leaseExpiresAt()
                            + " during the last attempt (" + locked.attempts() + " of " + locked.maxAttempts() + ")", locked)));
            if (job.isPresent()) {
                dead++;
            }
        }
        return requeued + dead;
    }

    /**
     * Enqueues the jobs of the schedules whose tick has come, each in a transaction of its tenant;
     * what a worker pool runs at every poll interval. Safe to run in many pools at once.
     *
     * @param now the service clock's now
     * @return how many jobs were enqueued
     */
    public int tickSchedules(java.time.Instant now) {
        // Read without locking across tenants; each tick is then taken per tenant (a router query on Citus).
        List<Record> due = system.inTransaction(tx -> tx.dsl().resultQuery("select tenant_id, name, next_run_at"
                + " from sentinel.job_schedules where next_run_at <= ?::timestamptz order by next_run_at limit 100",
                now.atOffset(java.time.ZoneOffset.UTC)).fetch());
        int enqueued = 0;
        for (Record r : due) {
            String name = r.get("name", String.class);
            java.time.OffsetDateTime tick = r.get("next_run_at", java.time.OffsetDateTime.class);
            if (tenantScope.apply(r.get("tenant_id", UUID.class)).inTransaction(tx -> jobs(tx).tick(name, tick, now))) {
                enqueued++;
            }
        }
        return enqueued;
    }

    @Override
    public int pruneFinished(Duration olderThan, int batchSize) {
        positive("pruneFinished: olderThan", olderThan);
        if (batchSize < 1 || batchSize > 10_000) {
            throw new InvalidInputException("pruneFinished: batchSize " + batchSize + " is outside 1..10000");
        }
        List<UUID> tenants = system.inTransaction(tx -> tx.dsl().resultQuery(
                "select distinct tenant_id from sentinel.job_tenant_queues order by tenant_id").fetch(r -> r.get(0, UUID.class)));
        int deleted = 0;
        for (UUID tenant : tenants) {
            // One tenant per statement (a router query on Citus), oldest first, through
            // jobs_tenant_finished_idx; SKIP LOCKED and small batches keep each transaction short.
            for (int n = batchSize; n == batchSize; ) {
                n = system.inTransaction(tx -> tx.dsl().execute("delete from sentinel.jobs where tenant_id = ? and id in ("
                        + " select id from sentinel.jobs where tenant_id = ? and state in ('succeeded', 'cancelled')"
                        + " and finished_at < now() - make_interval(secs => ?) order by finished_at limit ? for update skip locked)",
                        tenant, tenant, JobsImpl.seconds(olderThan), batchSize));
                deleted += n;
            }
        }
        return deleted;
    }

    @Override
    public JobStats stats() {
        return system.inTransaction(tx -> {
            Map<String, Map<JobState, Long>> counts = new HashMap<>();
            for (Record r : tx.dsl().resultQuery("select queue, state, count(*) as n from sentinel.jobs group by queue, state").fetch()) {
                counts.computeIfAbsent(r.get("queue", String.class), q -> new java.util.EnumMap<>(JobState.class))
                        .put(JobState.ofLiteral(r.get("state", String.class)), r.get("n", Long.class));
            }
            Map<String, Duration> oldest = new HashMap<>();
            for (Record r : tx.dsl().resultQuery("select queue, (extract(epoch from now() - min(run_at)) * 1000)::bigint as ms"
                    + " from sentinel.jobs where state = 'queued' and run_at <= now() group by queue").fetch()) {
                oldest.put(r.get("queue", String.class), Duration.ofMillis(r.get("ms", Long.class)));
            }
            return new JobStats(counts, oldest);
        });
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(name + " must be a positive duration, not " + value);
        }
    }
}
