-- Jobs: the background job queue. A tenant table: every job runs on behalf of one tenant. Workers
-- claim queued jobs whose run_at has come, highest priority first, with FOR UPDATE SKIP LOCKED, and
-- hold a lease that another worker may take over once it expires. The claim query, retries with
-- backoff and the lease reaper are in the runtime.
--
-- A claim writes a fresh random lease token next to the lease owner; every completion, failure,
-- heartbeat or release names it (UPDATE ... WHERE id = ? AND lease_token = ?), so a worker whose
-- lease lapsed and was taken over cannot finish the job: its update finds no row. The owner alone
-- cannot fence: a restarted worker may come back under the same name.

create table sentinel.jobs (
    tenant_id        uuid        not null,
    id               uuid        not null,
    queue            text        not null default 'default',
    job_type         text        not null,
    state            text        not null default 'queued',
    priority         integer     not null default 0,
    payload          jsonb       not null default '{}'::jsonb,
    result           jsonb,
    last_error       text,
    attempts         integer     not null default 0,
    max_attempts     integer     not null default 3,
    run_at           timestamptz not null default now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    lease_token      uuid,
    dedupe_key       text,
    started_at       timestamptz,
    finished_at      timestamptz,
    created_by       uuid,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint jobs_pkey primary key (tenant_id, id),
    constraint jobs_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint jobs_queue_format check (queue ~ '^[a-z][a-z0-9_-]{0,62}$'),
    constraint jobs_type_format check (job_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    constraint jobs_state_check check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    constraint jobs_priority_check check (priority between -1000 and 1000),
    constraint jobs_payload_object check (jsonb_typeof(payload) = 'object'),
    constraint jobs_attempts_check check (attempts >= 0 and max_attempts >= 1 and attempts <= max_attempts),
    -- A running job holds a lease (owner, token, expiry), and only a running job does.
    constraint jobs_lease_check check ((state = 'running') = (lease_owner is not null)
        and (lease_owner is null) = (lease_expires_at is null)
        and (lease_owner is null) = (lease_token is null)),
    constraint jobs_finished_check check ((state in ('succeeded', 'failed', 'cancelled')) = (finished_at is not null)),
    constraint jobs_dedupe_key_length check (char_length(dedupe_key) between 1 and 200)
);
select sentinel.distribute('sentinel.jobs');

comment on table sentinel.jobs is
    'A background job of a tenant: queued, then running under a worker''s lease, then succeeded, failed '
    'or cancelled. A failed attempt with attempts left goes back to queued with a later run_at. '
    'sentinel:unaudited claims and heartbeats would flood the trail; dead-lettering and cancellation are audited explicitly.';
comment on column sentinel.jobs.queue is 'The queue a worker pool consumes; default is default.';
comment on column sentinel.jobs.job_type is 'What to run, a dotted name such as reports.send_digest.';
comment on column sentinel.jobs.state is
    'queued (waiting for run_at, then for a worker), running (claimed under a worker''s lease), succeeded, '
    'failed (dead: its last allowed attempt failed; retryable by hand) or cancelled. sentinel:enum JobState';
comment on column sentinel.jobs.priority is 'Higher runs first, from -1000 to 1000; default 0.';
comment on column sentinel.jobs.payload is 'The job''s input as a JSON object.';
comment on column sentinel.jobs.result is 'The job''s output, once succeeded.';
comment on column sentinel.jobs.last_error is 'The error of the last failed attempt.';
comment on column sentinel.jobs.attempts is 'Attempts started so far.';
comment on column sentinel.jobs.max_attempts is 'Attempts allowed before the job fails for good.';
comment on column sentinel.jobs.run_at is 'Earliest time the job may be claimed; pushed back between retries.';
comment on column sentinel.jobs.lease_owner is 'The worker that holds the job while running; null otherwise.';
comment on column sentinel.jobs.lease_expires_at is
    'When the lease lapses: a running job past it is presumed abandoned and may be claimed again.';
comment on column sentinel.jobs.lease_token is
    'Fencing token of the current lease, new at every claim; null when the job is not running.';
comment on column sentinel.jobs.dedupe_key is
    'Caller''s key: at most one queued or running job per (tenant, job_type, dedupe_key).';
comment on column sentinel.jobs.finished_at is 'When the job reached succeeded, failed or cancelled.';
comment on column sentinel.jobs.created_by is 'The actor who enqueued the job.';

create unique index jobs_dedupe_live_key on sentinel.jobs (tenant_id, job_type, dedupe_key)
    where dedupe_key is not null and state in ('queued', 'running');
-- Claiming for one tenant, and the tenant's queue view.
create index jobs_tenant_claim_idx on sentinel.jobs (tenant_id, queue, priority desc, run_at)
    where state = 'queued';
-- Deliberate exceptions to "every index starts with tenant_id": a worker pool claims across tenants
-- (in the system scope) and reclaims expired leases across tenants, which no tenant-first index serves.
create index jobs_claim_idx on sentinel.jobs (queue, priority desc, run_at) where state = 'queued';
create index jobs_lease_idx on sentinel.jobs (lease_expires_at) where state = 'running';
-- Fair claiming across claims: a claim serves first, among tenants' best due jobs, the tenant whose
-- latest claim in the queue is the oldest. This index answers "latest started_at of a tenant in a
-- queue" with one probe per tenant.
create index jobs_tenant_started_idx on sentinel.jobs (tenant_id, queue, started_at) where started_at is not null;

create trigger jobs_touch_updated_at
    before update on sentinel.jobs
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.jobs');

-- Workers that listen wake up when a job is enqueued instead of waiting for their next poll. One
-- notification per queue and statement, sent by PostgreSQL at commit (never for a rolled-back
-- enqueue) and collapsed with identical ones of the same transaction. Only jobs due now notify: a job
-- for later, and a retry after its backoff, wait for the poll. NOTIFY works through PgBouncer's
-- transaction pooling; only the listening worker needs a direct connection.
create function sentinel.notify_jobs_enqueued() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    due_queue text;
begin
    for due_queue in select distinct queue from enqueued where state = 'queued' and run_at <= now() loop
        perform pg_notify('sentinel_jobs', due_queue);
    end loop;
    return null;
end
$$;

comment on function sentinel.notify_jobs_enqueued() is
    'AFTER INSERT statement trigger function of sentinel.jobs: NOTIFY sentinel_jobs with the name of '
    'each queue that received a job due now.';

create trigger jobs_notify_enqueued
    after insert on sentinel.jobs
    referencing new table as enqueued
    for each statement execute function sentinel.notify_jobs_enqueued();
