-- Recurring jobs: a schedule of a tenant enqueues a job at each tick of a cron expression (in a time
-- zone) or of a fixed interval. Every worker pool looks for due schedules; a tick is taken by moving
-- next_run_at from the tick to the one after it with a compare-and-set update, in the same
-- transaction that enqueues the tick's job, so across every pool on the database each tick enqueues
-- exactly one job (the loser's update finds next_run_at already moved and does nothing).
--
-- A schedule is a tenant row, as its jobs are (jobs.tenant_id is required and distributes the table
-- on Citus). A global schedule, for work that belongs to no tenant, is a schedule of the tenant the
-- service keeps for itself (its operator tenant); its handler opens the system scope for work
-- across tenants.

create table sentinel.job_schedules (
    tenant_id     uuid        not null,
    name          text        not null,
    job_type      text        not null,
    queue         text        not null default 'default',
    payload       jsonb       not null default '{}'::jsonb,
    cron          text,
    time_zone     text,
    every_seconds bigint,
    missed        text        not null default 'run_once',
    next_run_at   timestamptz not null,
    last_tick_at  timestamptz,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint job_schedules_pkey primary key (tenant_id, name),
    constraint job_schedules_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete cascade,
    constraint job_schedules_name_format check (name ~ '^[a-z][a-z0-9_.-]{0,99}$'),
    constraint job_schedules_type_format check (job_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    constraint job_schedules_queue_format check (queue ~ '^[a-z][a-z0-9_-]{0,62}$'),
    constraint job_schedules_payload_object check (jsonb_typeof(payload) = 'object'),
    -- Either a cron expression with its time zone, or a fixed interval.
    constraint job_schedules_kind_check check ((cron is not null and time_zone is not null and every_seconds is null)
        or (cron is null and time_zone is null and every_seconds >= 1)),
    constraint job_schedules_missed_check check (missed in ('run_once', 'skip'))
);
select sentinel.distribute('sentinel.job_schedules');

comment on table sentinel.job_schedules is
    'A recurring job of a tenant: a job of job_type enqueued at each tick of a cron expression or a fixed interval. '
    'sentinel:unaudited a timer; creating and removing a schedule is audited by the runtime, and each tick is a job.';
comment on column sentinel.job_schedules.name is 'The schedule''s name, unique within the tenant, such as reports.nightly.';
comment on column sentinel.job_schedules.job_type is 'The job type each tick enqueues.';
comment on column sentinel.job_schedules.queue is 'The queue of the enqueued jobs.';
comment on column sentinel.job_schedules.payload is 'The payload of every enqueued job.';
comment on column sentinel.job_schedules.cron is 'A Unix cron expression (minute hour day-of-month month day-of-week), or null for a fixed interval.';
comment on column sentinel.job_schedules.time_zone is 'The IANA time zone the cron expression is read in, such as Europe/Berlin.';
comment on column sentinel.job_schedules.every_seconds is 'The fixed interval in seconds, or null for a cron expression.';
comment on column sentinel.job_schedules.missed is
    'What a tick found more than a minute late (every worker pool was down) does: run_once (the missed ticks '
    'enqueue one job, now) or skip (they enqueue nothing; the next tick runs). sentinel:enum MissedTicks';
comment on column sentinel.job_schedules.next_run_at is 'The next tick: a worker pool enqueues its job once it has come.';
comment on column sentinel.job_schedules.last_tick_at is 'The last tick that enqueued a job, or null.';

create trigger job_schedules_touch_updated_at
    before update on sentinel.job_schedules
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.job_schedules');

-- Worker pools look for due schedules across tenants (in the system scope): a deliberate exception
-- to "every index starts with tenant_id", read without locking; each tick then runs per tenant.
create index job_schedules_due_idx on sentinel.job_schedules (next_run_at);
