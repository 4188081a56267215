package dev.sentinel.core.internal;

import dev.sentinel.core.Ids;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.audit.AuditEvent;
import dev.sentinel.core.db.enums.AuditLevel;
import dev.sentinel.core.db.enums.JobState;
import dev.sentinel.core.jobs.Backoff;
import dev.sentinel.core.jobs.Enqueued;
import dev.sentinel.core.jobs.Job;
import dev.sentinel.core.jobs.JobLease;
import dev.sentinel.core.jobs.JobOptions;
import dev.sentinel.core.jobs.JobSerializer;
import dev.sentinel.core.jobs.NewJob;
import dev.sentinel.core.jobs.Jobs;
import dev.sentinel.core.jobs.LeaseLostException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import dev.sentinel.core.db.enums.MissedTicks;
import dev.sentinel.core.jobs.JobSchedule;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * {@link Jobs} on one transaction of a tenant, plus the fenced lease operations that
 * {@link JobQueueImpl} runs in transactions of the job's tenant. Every statement names the tenant
 * explicitly; row-level security is the backstop. Plain SQL, because the queue's statements
 * (window functions, {@code SKIP LOCKED}, {@code ON CONFLICT} on a partial index) read best as SQL.
 */
public final class JobsImpl implements Jobs {

    /** The columns every statement returns, in the order {@link #job} reads them. */
    static final String COLUMNS = columns("");

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final int MAX_ERROR = 4000;
    private static final int MAX_BATCH = 10_000;
    /** A tick found later than this was missed (every pool was down): its schedule's policy decides. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(1);
    private static final String CLEAR_LEASE = "lease_owner = null, lease_token = null, lease_expires_at = null";
    /** Puts the tenant into the queue's round robin (V12), in the enqueue's own statement. */
    private static final String REGISTER = "with registered as (insert into sentinel.job_tenant_queues (tenant_id, queue)"
            + " values (?::uuid, ?) on conflict do nothing) ";
    /**
     * The fence of every operation under a lease. The token alone implies a running job (a token is
     * set exactly while the job runs, jobs_lease_check), and naming the state would let the planner
     * prefer the partial index of running jobs over the primary key (V30).
     */
    private static final String FENCE = " where tenant_id = ? and id = ? and lease_token = ?";

    /** The SQLSTATE of sentinel.complete_job when the lease is no longer held (V12). */
    static final String LEASE_LOST = "SJ001";

    private final TxImpl tx;

    JobsImpl(TxImpl tx) {
        this.tx = tx;
    }

    private UUID tenant() {
        return tx.requireTenantId("tx.jobs()");
    }

    private DSLContext dsl() {
        return tx.dsl();
    }

    @Override
    public Enqueued enqueue(String type, String payloadJson) {
        return enqueue(type, payloadJson, JobOptions.defaults());
    }

    @Override
    public Enqueued enqueue(String type, String payloadJson, JobOptions options) {
        UUID tenant = tenant();
        check("enqueue", type, payloadJson, options);
        OffsetDateTime runAt = options.runAt() == null ? null : options.runAt().atOffset(ZoneOffset.UTC);
        UUID createdBy = tx.actor().userId().orElse(null);
        for (int round = 0; ; round++) {
            // The payload is parsed by PostgreSQL: a syntax error is SQLSTATE 22P02, an InvalidInputException.
            // Often a transaction's only statement: tx.query sends the settings with it when it is the first.
            List<Record> rows = tx.query(REGISTER + "insert into sentinel.jobs (tenant_id, id, queue, job_type, priority, payload,"
                    + " max_attempts, run_at, dedupe_key, created_by)"
                    + " values (?::uuid, ?::uuid, ?, ?, ?::int, ?::jsonb, ?::int, coalesce(?::timestamptz, now()), ?, ?::uuid)"
                    + " on conflict (tenant_id, job_type, dedupe_key)"
                    + " where dedupe_key is not null and state in ('queued', 'running') do nothing"
                    + " returning " + COLUMNS,
                    tenant, options.queue(), tenant, Ids.next(), options.queue(), type, options.priority(), payloadJson, options.maxAttempts(),
                    runAt, options.dedupeKey(), createdBy);
            Record inserted = rows.isEmpty() ? null : rows.get(0);
            if (inserted != null) {
                return new Enqueued(job(inserted), false);
            }
            // A live job with this key exists (committed, or committed by a concurrent enqueue we waited for).
            Record existing = dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs where tenant_id = ? and job_type = ?"
                    + " and dedupe_key = ? and state in ('queued', 'running')", tenant, type, options.dedupeKey()).fetchOne();
            if (existing != null) {
                return new Enqueued(job(existing), true);
            }
            if (round >= 3) {
                throw new InvalidStateTransitionException("enqueue: the job with dedupe key '" + options.dedupeKey()
                        + "' kept finishing while this enqueue ran; try again");
            }
        }
    }

    private static void check(String operation, String type, String payloadJson, JobOptions options) {
        if (type == null || type.length() > 200 || !TYPE.matcher(type).matches()) {
            throw new InvalidInputException(operation + ": job type '" + type + "' must be lower-case words joined by dots,"
                    + " such as orders.send_reminder");
        }
        if (payloadJson == null || !payloadJson.strip().startsWith("{")) {
            throw new InvalidInputException(operation + ": the payload must be a JSON object such as {\"order\": \"...\"}, not "
                    + (payloadJson == null ? "null" : "'" + abbreviate(payloadJson, 40) + "'"));
        }
        if (options == null) {
            throw new InvalidInputException(operation + ": options is null; pass JobOptions.defaults()");
        }
    }

    @Override
    public Enqueued enqueue(String type, Object payload, JobSerializer serializer, JobOptions options) {
        if (serializer == null) {
            throw new InvalidInputException("enqueue: serializer is null; pass JobSerializer.jackson() or your own");
        }
        return enqueue(type, serializer.write(payload), options);
    }

    @Override
    public List<Enqueued> enqueueAll(List<NewJob> jobs) {
        UUID tenant = tenant();
        if (jobs == null || jobs.size() > MAX_BATCH) {
            throw new InvalidInputException("enqueueAll: jobs must be a list of at most " + MAX_BATCH + " jobs, not "
                    + (jobs == null ? "null" : jobs.size()));
        }
        if (jobs.isEmpty()) {
            return List.of();
        }
        int n = jobs.size();
        UUID[] ids = new UUID[n];
        String[] queues = new String[n];
        String[] types = new String[n];
        Integer[] priorities = new Integer[n];
        String[] payloads = new String[n];
        Integer[] maxAttempts = new Integer[n];
        OffsetDateTime[] runAts = new OffsetDateTime[n];
        String[] dedupeKeys = new String[n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            if (job == null) {
                throw new InvalidInputException("enqueueAll: job " + i + " is null");
            }
            check("enqueueAll: job " + i, job.type(), job.payloadJson(), job.options());
            ids[i] = Ids.next();
            queues[i] = job.options().queue();
            types[i] = job.type();
            priorities[i] = job.options().priority();
            payloads[i] = job.payloadJson();
            maxAttempts[i] = job.options().maxAttempts();
            runAts[i] = job.options().runAt() == null ? null : job.options().runAt().atOffset(ZoneOffset.UTC);
            dedupeKeys[i] = job.options().dedupeKey();
        }
        UUID createdBy = tx.actor().userId().orElse(null);
        // One statement: the tenant joins each queue's round robin, then the jobs go in, in the
        // order given (so that of two jobs with one dedupe key, the first is inserted).
        Map<UUID, Job> inserted = new HashMap<>();
        for (Record r : dsl().resultQuery("with registered as (insert into sentinel.job_tenant_queues (tenant_id, queue)"
                + " select distinct ?::uuid, q from unnest(?::text[]) q on conflict do nothing)"
                + " insert into sentinel.jobs (tenant_id, id, queue, job_type, priority, payload, max_attempts, run_at, dedupe_key, created_by)"
                + " select ?::uuid, t.id, t.queue, t.job_type, t.priority, t.payload::jsonb, t.max_attempts, coalesce(t.run_at, now()),"
                + " t.dedupe_key, ?::uuid from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::text[], ?::int[], ?::timestamptz[], ?::text[])"
                + " with ordinality as t(id, queue, job_type, priority, payload, max_attempts, run_at, dedupe_key, ord) order by t.ord"
                + " on conflict (tenant_id, job_type, dedupe_key) where dedupe_key is not null and state in ('queued', 'running') do nothing"
                + " returning " + COLUMNS,
                tenant, queues, tenant, createdBy, ids, queues, types, priorities, payloads, maxAttempts, runAts, dedupeKeys).fetch()) {
            Job job = job(r);
            inserted.put(job.id(), job);
        }
        Map<String, Job> live = new HashMap<>();
        if (inserted.size() < n) {
            // The skipped ones met a live job with their key: one read finds them all.
            List<String> missingTypes = new ArrayList<>();
            List<String> missingKeys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!inserted.containsKey(ids[i])) {
                    missingTypes.add(types[i]);
                    missingKeys.add(dedupeKeys[i]);
                }
            }
            for (Record r : dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs where tenant_id = ?"
                    + " and dedupe_key is not null and state in ('queued', 'running')"
                    + " and (job_type, dedupe_key) in (select * from unnest(?::text[], ?::text[]))",
                    tenant, missingTypes.toArray(String[]::new), missingKeys.toArray(String[]::new)).fetch()) {
                Job job = job(r);
                live.put(job.type() + "\u0000" + job.dedupeKey(), job);
            }
        }
        List<Enqueued> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Job mine = inserted.get(ids[i]);
            if (mine != null) {
                result.add(new Enqueued(mine, false));
                continue;
            }
            Job existing = live.get(types[i] + "\u0000" + dedupeKeys[i]);
            // The live job finished between the insert and the read: the one-by-one path retries.
            result.add(existing != null ? new Enqueued(existing, true) : enqueue(types[i], payloads[i], jobs.get(i).options()));
        }
        return result;
    }

    @Override
    public Instant schedule(JobSchedule schedule) {
        UUID tenant = tenant();
        if (schedule == null) {
            throw new InvalidInputException("schedule: schedule is null");
        }
        check("schedule " + schedule.name(), schedule.type(), schedule.payloadJson(), JobOptions.defaults());
        tx.authorize("job:manage");
        Instant now = tx.clock().instant();
        Instant next = CronTicks.next(schedule.name(), schedule.cron(), schedule.zone(), schedule.every(), now, now);
        // The same timing keeps its next tick: storing the schedules at every start of a service must
        // neither push an interval's tick back nor drop a tick that is due.
        Record row = dsl().resultQuery("insert into sentinel.job_schedules as s (tenant_id, name, job_type, queue, payload, cron,"
                + " time_zone, every_seconds, missed, next_run_at) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?::bigint, ?, ?::timestamptz)"
                + " on conflict (tenant_id, name) do update set job_type = excluded.job_type, queue = excluded.queue,"
                + " payload = excluded.payload, missed = excluded.missed, cron = excluded.cron, time_zone = excluded.time_zone,"
                + " every_seconds = excluded.every_seconds, next_run_at = case when (s.cron, s.time_zone, s.every_seconds)"
                + " is not distinct from (excluded.cron, excluded.time_zone, excluded.every_seconds)"
                + " then s.next_run_at else excluded.next_run_at end"
                + " returning next_run_at",
                tenant, schedule.name(), schedule.type(), schedule.queue(), schedule.payloadJson(), schedule.cron(),
                schedule.zone() == null ? null : schedule.zone().getId(),
                schedule.every() == null ? null : schedule.every().toSeconds(), schedule.missed().literal(),
                next.atOffset(ZoneOffset.UTC)).fetchOne();
        Instant stored = row.get("next_run_at", OffsetDateTime.class).toInstant();
        tx.audit().record(AuditEvent.of("jobs.schedule").meta("schedule", schedule.name()).meta("job_type", schedule.type())
                .meta("timing", schedule.cron() != null ? schedule.cron() + " " + schedule.zone().getId() : "every " + schedule.every()));
        return stored;
    }

    @Override
    public boolean unschedule(String name) {
        UUID tenant = tenant();
        if (name == null) {
            throw new InvalidInputException("unschedule: name is null");
        }
        tx.authorize("job:manage");
        boolean removed = dsl().execute("delete from sentinel.job_schedules where tenant_id = ? and name = ?", tenant, name) > 0;
        if (removed) {
            tx.audit().record(AuditEvent.of("jobs.unschedule").meta("schedule", name));
        }
        return removed;
    }

    /**
     * Takes one due tick of a schedule, if no other pool took it: moves next_run_at past
     * {@code now} and enqueues the tick's job, in this transaction, so that both commit together.
     * The row lock (SKIP LOCKED: another pool holding it is taking this tick) and the
     * compare-and-set on next_run_at make each tick enqueue once across every pool.
     *
     * @param name the schedule
     * @param due the tick as read
     * @param now the service clock's now
     * @return whether a job was enqueued
     */
    boolean tick(String name, OffsetDateTime due, Instant now) {
        UUID tenant = tenant();
        Record s = dsl().resultQuery("select job_type, queue, payload::text as payload, cron, time_zone, every_seconds, missed"
                + " from sentinel.job_schedules where tenant_id = ? and name = ? and next_run_at = ?::timestamptz for update skip locked",
                tenant, name, due).fetchOne();
        if (s == null) {
            return false; // taken by another pool, or changed meanwhile
        }
        String cron = s.get("cron", String.class);
        ZoneId zone = cron == null ? null : ZoneId.of(s.get("time_zone", String.class));
        Long everySeconds = s.get("every_seconds", Long.class);
        Duration every = everySeconds == null ? null : Duration.ofSeconds(everySeconds);
        Instant next = CronTicks.next(name, cron, zone, every, due.toInstant(), now);
        boolean late = due.toInstant().plus(MISSED_AFTER).isBefore(now);
        boolean run = !late || MissedTicks.ofLiteral(s.get("missed", String.class)) == MissedTicks.RUN_ONCE;
        if (run) {
            enqueue(s.get("job_type", String.class), s.get("payload", String.class), JobOptions.defaults()
                    .queue(s.get("queue", String.class)).dedupeKey("schedule:" + name + ":" + due.toInstant()));
        }
        dsl().execute("update sentinel.job_schedules set next_run_at = ?::timestamptz,"
                + " last_tick_at = case when ?::boolean then ?::timestamptz else last_tick_at end"
                + " where tenant_id = ? and name = ?", next.atOffset(ZoneOffset.UTC), run, due, tenant, name);
        return run;
    }

    @Override
    public Optional<Job> get(UUID jobId) {
        if (jobId == null) {
            throw new InvalidInputException("get: jobId is null");
        }
        return dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs where tenant_id = ? and id = ?", tenant(), jobId)
                .fetchOptional().map(JobsImpl::job);
    }

    @Override
    public List<Job> list(JobState state, int limit) {
        if (state == null || limit < 1 || limit > 1000) {
            throw new InvalidInputException("list: state must be set and limit between 1 and 1000");
        }
        return dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs where tenant_id = ? and state = ?"
                + " order by created_at, id limit ?", tenant(), state.literal(), limit).fetch().map(JobsImpl::job);
    }

    @Override
    public Job cancel(UUID jobId) {
        Job current = get(jobId).orElseThrow(() -> new NotFoundException("cancel: no job " + jobId + " in this tenant"));
        tx.authorize("job:manage");
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'cancelled', " + CLEAR_LEASE + ", finished_at = now()"
                + " where tenant_id = ? and id = ? and state in ('queued', 'running') returning " + COLUMNS,
                tenant(), jobId).fetchOne();
        if (row == null) {
            throw new InvalidStateTransitionException("cancel: job " + jobId + " is " + current.state().literal()
                    + "; only a queued or running job can be cancelled");
        }
        Job job = job(row);
        tx.audit().record(AuditEvent.of("jobs.cancel").entity("jobs", jobId)
                .meta("job_type", job.type()).meta("previous_state", current.state().literal()));
        return job;
    }

    @Override
    public Job retry(UUID jobId) {
        Job current = get(jobId).orElseThrow(() -> new NotFoundException("retry: no job " + jobId + " in this tenant"));
        tx.authorize("job:manage");
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'queued', attempts = 0, run_at = now(),"
                + " finished_at = null, result = null where tenant_id = ? and id = ? and state in ('failed', 'cancelled')"
                + " returning " + COLUMNS, tenant(), jobId).fetchOne();
        if (row == null) {
            throw new InvalidStateTransitionException("retry: job " + jobId + " is " + current.state().literal()
                    + "; only a failed (dead) or cancelled job can be retried");
        }
        tx.audit().record(AuditEvent.of("jobs.retry").entity("jobs", jobId).meta("job_type", current.type()));
        return job(row);
    }

    @Override
    public Job complete(JobLease lease, String resultJson) {
        checkLease(lease);
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'succeeded', result = ?::jsonb, " + CLEAR_LEASE
                + ", finished_at = now()" + FENCE + " returning " + COLUMNS,
                resultJson, lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        return fenced(row, lease, "complete");
    }

    /**
     * The worker's completion as the last statement of the handler's transaction: it raises
     * SQLSTATE SJ001 when the lease is lost, which becomes a {@link LeaseLostException}, and the
     * server then skips the COMMIT sent behind it. Outside Citus the UPDATE is the statement itself
     * and {@code sentinel.job_lease_lost} (V40) runs only when it matched no row, which saves the
     * PL/pgSQL frame of {@code sentinel.complete_job} around it; on Citus, where that form was not
     * tried on a cluster, the function stays.
     *
     * @param lease the job's lease
     * @param resultJson the result, or {@code null}
     * @param onCitus whether the database is a Citus coordinator
     */
    static TxImpl.Finisher completion(JobLease lease, String resultJson, boolean onCitus) {
        Function<SQLException, SentinelException> translate =
                e -> LEASE_LOST.equals(e.getSQLState()) ? lost(lease, "complete") : null;
        if (onCitus) {
            return new TxImpl.Finisher("select sentinel.complete_job(?, ?, ?, ?::jsonb)",
                    new Object[] {lease.tenantId(), lease.jobId(), lease.token(), resultJson}, translate);
        }
        return new TxImpl.Finisher("with done as (update sentinel.jobs set state = 'succeeded', result = ?::jsonb, "
                + CLEAR_LEASE + ", finished_at = now()" + FENCE + " returning 1)"
                + " select sentinel.job_lease_lost(?, ?) where not exists (select from done)",
                new Object[] {resultJson, lease.tenantId(), lease.jobId(), lease.token(), lease.jobId(), lease.token()}, translate);
    }

    JobLease heartbeat(JobLease lease, Duration extension) {
        checkLease(lease);
        Record row = dsl().resultQuery("update sentinel.jobs set lease_expires_at = now() + make_interval(secs => ?)"
                + FENCE + " returning " + COLUMNS, seconds(extension), lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        Job job = fenced(row, lease, "heartbeat");
        return new JobLease(lease.tenantId(), lease.jobId(), lease.owner(), lease.token(), job.leaseExpiresAt());
    }

    Job fail(JobLease lease, String error, Backoff backoff) {
        checkLease(lease);
        Record locked = dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs" + FENCE + " for update",
                lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        Job job = fenced(locked, lease, "fail");
        String text = abbreviate(error == null ? "(no message)" : error, MAX_ERROR);
        if (job.attempts() >= job.maxAttempts()) {
            return dead(lease, text, job);
        }
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'queued', last_error = ?, " + CLEAR_LEASE
                + ", run_at = now() + make_interval(secs => ?)" + FENCE + " returning " + COLUMNS,
                text, seconds(backoff.delay(job.attempts())), lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        return fenced(row, lease, "fail");
    }

    /** Dead-letters a running job: state failed, kept, audited as {@code jobs.dead}. */
    Job dead(JobLease lease, String error, Job job) {
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'failed', last_error = ?, " + CLEAR_LEASE
                + ", finished_at = now()" + FENCE + " returning " + COLUMNS,
                error, lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        Job dead = fenced(row, lease, "fail");
        tx.audit().record(AuditEvent.of("jobs.dead").level(AuditLevel.WARN).entity("jobs", job.id())
                .message(abbreviate(error, 2000)).meta("job_type", job.type())
                .meta("attempts", Integer.toString(job.attempts())));
        return dead;
    }

    Job snooze(JobLease lease, Duration delay) {
        checkLease(lease);
        Record row = dsl().resultQuery("update sentinel.jobs set state = 'queued', attempts = attempts - 1, " + CLEAR_LEASE
                + ", run_at = now() + make_interval(secs => ?)" + FENCE + " returning " + COLUMNS,
                seconds(delay), lease.tenantId(), lease.jobId(), lease.token()).fetchOne();
        return fenced(row, lease, "snooze");
    }

    /** The running job behind a lease, locked, if the lease is still held; for the rescuer. */
    Optional<Job> lockExpired(JobLease lease) {
        return dsl().resultQuery("select " + COLUMNS + " from sentinel.jobs" + FENCE + " and lease_expires_at < now() for update",
                lease.tenantId(), lease.jobId(), lease.token()).fetchOptional().map(JobsImpl::job);
    }

    private void checkLease(JobLease lease) {
        if (lease == null) {
            throw new InvalidInputException("lease is null");
        }
        if (!lease.tenantId().equals(tenant())) {
            throw new InvalidInputException("the lease belongs to tenant " + lease.tenantId() + ", not to this transaction's");
        }
    }

    private static Job fenced(Record row, JobLease lease, String operation) {
        if (row == null) {
            throw lost(lease, operation);
        }
        return job(row);
    }

    private static LeaseLostException lost(JobLease lease, String operation) {
        return new LeaseLostException(operation + ": worker " + lease.owner() + " no longer holds the lease on job "
                + lease.jobId() + " (it expired and was rescued or claimed again, or the job was cancelled); nothing was written");
    }

    /**
     * The columns every statement returns, in the names {@link #job} reads.
     *
     * @param alias a table alias with its dot, such as {@code "j."}, or empty
     * @return the select list
     */
    static String columns(String alias) {
        return String.join(", ", alias + "tenant_id", alias + "id", alias + "queue", alias + "job_type", alias + "state",
                alias + "priority", alias + "payload::text as payload", alias + "result::text as result", alias + "last_error",
                alias + "attempts", alias + "max_attempts", alias + "run_at", alias + "lease_owner", alias + "lease_expires_at",
                alias + "dedupe_key", alias + "created_at", alias + "finished_at", alias + "lease_token",
                alias + "traceparent");
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static Job job(Record r) {
        return new Job(r.get("tenant_id", UUID.class), r.get("id", UUID.class), r.get("queue", String.class),
                r.get("job_type", String.class), JobState.ofLiteral(r.get("state", String.class)),
                r.get("priority", Integer.class), r.get("payload", String.class), r.get("result", String.class),
                r.get("last_error", String.class), r.get("attempts", Integer.class), r.get("max_attempts", Integer.class),
                r.get("run_at", OffsetDateTime.class), r.get("lease_owner", String.class),
                r.get("lease_expires_at", OffsetDateTime.class), r.get("dedupe_key", String.class),
                r.get("created_at", OffsetDateTime.class), r.get("finished_at", OffsetDateTime.class),
                r.get("traceparent", String.class));
    }

    static JobLease lease(Record r) {
        return new JobLease(r.get("tenant_id", UUID.class), r.get("id", UUID.class), r.get("lease_owner", String.class),
                r.get("lease_token", UUID.class), r.get("lease_expires_at", OffsetDateTime.class));
    }
}
