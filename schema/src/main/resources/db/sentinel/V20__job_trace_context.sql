-- The W3C trace context of the transaction that enqueued a job, so that the job's handler runs
-- under the trace of the request that asked for it. Filled by the column's default from the
-- transaction setting sentinel.traceparent, which the runtime writes with the transaction's other
-- settings (empty when the caller has no trace): an enqueue statement does not name it, and raw SQL
-- that inserts a job gets it too.

-- Two statements: Citus refuses ADD CONSTRAINT with other subcommands in one ALTER TABLE.
alter table sentinel.jobs
    add column traceparent text default nullif(current_setting('sentinel.traceparent', true), '');
alter table sentinel.jobs
    add constraint jobs_traceparent_format
        check (traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');

comment on column sentinel.jobs.traceparent is
    'The W3C traceparent of the transaction that enqueued the job, or null; put back in the MDC around its handler.';

-- Health checks (the Spring Boot starter's) compare the applied kernel migrations with the ones the
-- running version ships, as the application role: reading the history reveals nothing of a tenant.
grant select on sentinel.flyway_schema_history to ${sentinel_app_role};
