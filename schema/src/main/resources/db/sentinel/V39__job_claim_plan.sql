-- Jobs: the claim planned once per connection, never by a sequential scan (issue 25, speed).
--
-- Measured with pg_stat_statements (track = all, track_planning = on) on the job queue benchmark's
-- database: PL/pgSQL planned sentinel.claim_jobs' statement again on every call (its generic plan,
-- blind to p_batch and the queue, costs more than the custom ones, so PostgreSQL keeps choosing
-- custom plans), 0.8 ms of planning against 0.5 ms of execution for a claim of one job. And a plan
-- made while sentinel.jobs was small (a fresh service, a benchmark) joined the locked jobs to the
-- table with a sequential scan, which then read every job ever kept (finished ones included) on
-- every claim until the next ANALYZE. A queue's statistics are always stale: the table turns over
-- faster than autovacuum analyzes it.
--
-- So the function plans its statement once per connection (force_generic_plan: an ANALYZE of the
-- tables still invalidates the plan) and with neither sequential nor bitmap scans: every step of a
-- claim reads a few rows through an index, in its order (the claim index, the primary key,
-- job_tenant_queues' key). Both are needed: a generic plan made after an ANALYZE, which cannot
-- see how few jobs p_batch asks for, read every queued job of each tenant by a bitmap scan and
-- sorted them (28 ms per claim of one job with 3,000 queued per tenant, against 0.4 ms in index
-- order; a claim replanned on every call took 1.6 ms).
--
-- Outside Citus only: on a Citus coordinator the claim is one router query per tenant, planned by
-- Citus with the tenant's value known; a generic plan there would defer shard pruning, not tested
-- on a cluster, so the function is left as V30 made it.
do $$
begin
    if not sentinel.on_citus_coordinator() then
        alter function sentinel.claim_jobs(text, text[], text, integer, double precision, uuid)
            set plan_cache_mode = force_generic_plan;
        alter function sentinel.claim_jobs(text, text[], text, integer, double precision, uuid)
            set enable_seqscan = off;
        alter function sentinel.claim_jobs(text, text[], text, integer, double precision, uuid)
            set enable_bitmapscan = off;
    end if;
end
$$;
