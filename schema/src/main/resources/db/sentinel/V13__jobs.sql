-- Jobs: the background job queue. A tenant table: every job runs on behalf of one tenant. Workers
-- claim queued jobs whose run_at has come, highest priority first, with FOR UPDATE SKIP LOCKED, and
-- hold a lease that another worker may take over once it expires. (The claim query, retries with
-- backoff and the lease reaper are the Jobs issue's work.)

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
    -- A running job holds a lease, and only a running job does.
    constraint jobs_lease_check check ((state = 'running') = (lease_owner is not null)
        and (lease_owner is null) = (lease_expires_at is null)),
    constraint jobs_finished_check check ((state in ('succeeded', 'failed', 'cancelled')) = (finished_at is not null)),
    constraint jobs_dedupe_key_length check (char_length(dedupe_key) between 1 and 200)
);

comment on table sentinel.jobs is
    'A background job of a tenant: queued, then running under a worker''s lease, then succeeded, failed '
    'or cancelled. A failed attempt with attempts left goes back to queued with a later run_at.';
comment on column sentinel.jobs.queue is 'The queue a worker pool consumes; default is default.';
comment on column sentinel.jobs.job_type is 'What to run, a dotted name such as invoices.send_reminder.';
comment on column sentinel.jobs.state is 'queued, running, succeeded, failed or cancelled.';
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
comment on column sentinel.jobs.dedupe_key is
    'Caller''s key: at most one queued or running job per (tenant, job_type, dedupe_key).';
comment on column sentinel.jobs.finished_at is 'When the job reached succeeded, failed or cancelled.';
comment on column sentinel.jobs.created_by is 'The actor who enqueued the job.';

create unique index jobs_dedupe_live_key on sentinel.jobs (tenant_id, job_type, dedupe_key)
    where dedupe_key is not null and state in ('queued', 'running');
-- Claiming for one tenant, and the tenant's queue view.
create index jobs_tenant_claim_idx on sentinel.jobs (tenant_id, queue, priority desc, run_at)
    where state = 'queued';
-- Deliberate exceptions to "every index leads with tenant_id": a worker pool claims across tenants
-- (in the system scope) and reclaims expired leases across tenants, which no tenant-first index serves.
create index jobs_claim_idx on sentinel.jobs (queue, priority desc, run_at) where state = 'queued';
create index jobs_lease_idx on sentinel.jobs (lease_expires_at) where state = 'running';

create trigger jobs_touch_updated_at
    before update on sentinel.jobs
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.jobs');
