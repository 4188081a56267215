-- Workers that listen wake up when a job is enqueued instead of waiting for their next poll. One
-- notification per queue and statement, sent by PostgreSQL at commit (never for a rolled-back
-- enqueue) and collapsed with identical ones of the same transaction. Only jobs due now notify: a job
-- for later, and a retry after its backoff, wait for the poll as before. NOTIFY works through
-- PgBouncer's transaction pooling; only the listening worker needs a direct connection.
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
