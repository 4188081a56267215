-- Jobs: the row rules of sentinel.jobs checked by one function call per statement, and a completion
-- without a PL/pgSQL frame around its UPDATE (issue 25, speed).
--
-- Measured on the job queue benchmark's database (a DO loop of single-row updates by primary key,
-- each a completion's UPDATE, on copies of sentinel.jobs): with the table's ten CHECK constraints
-- 84 µs per UPDATE, with none 27 µs, with only jobs_state_check 35 µs. The cost is per statement,
-- not per row (one UPDATE of 500 rows paid nothing measurable for them): PostgreSQL prepares every
-- CHECK expression again in each statement that writes the table (ExecRelCheck's
-- expression_planner and ExecInitExpr), and a queue writes its rows one statement at a time: every
-- enqueue, claim, heartbeat, completion and retry. The same nine rules as one call of a PL/pgSQL
-- function (which plans its expressions once per session) cost 51 µs, so about 33 µs less on each
-- such statement.
--
-- jobs_state_check stays a CHECK of its own: codegen reads the closed set of states from it (the
-- JobState enum). The other nine become jobs_row_check, whose function raises the same error the
-- CHECK did: SQLSTATE 23514, the rule's own constraint name (jobs_lease_check, ...), the table and
-- schema, and PostgreSQL's message, so ErrorTranslator and callers matching on the name see no
-- difference. A null makes a rule pass, as a CHECK's unknown does.
--
-- Outside Citus only. On a Citus coordinator the CHECK on a distributed table needs the function
-- on every worker, and neither that nor its cost there was tried on a cluster; the ten CHECKs stay.
create function sentinel.check_job_row(p_queue text, p_job_type text, p_priority integer, p_payload jsonb,
                                       p_attempts integer, p_max_attempts integer, p_state text,
                                       p_lease_owner text, p_lease_expires_at timestamptz, p_lease_token uuid,
                                       p_finished_at timestamptz, p_dedupe_key text, p_traceparent text)
    returns boolean
    language plpgsql immutable
    set search_path = pg_catalog, pg_temp
    as $$
declare
    broken text;
begin
    if not coalesce(p_queue ~ '^[a-z][a-z0-9_-]{0,62}$', true) then
        broken := 'jobs_queue_format';
    elsif not coalesce(p_job_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$', true) then
        broken := 'jobs_type_format';
    elsif not coalesce(p_priority between -1000 and 1000, true) then
        broken := 'jobs_priority_check';
    elsif not coalesce(jsonb_typeof(p_payload) = 'object', true) then
        broken := 'jobs_payload_object';
    elsif not coalesce(p_attempts >= 0 and p_max_attempts >= 1 and p_attempts <= p_max_attempts, true) then
        broken := 'jobs_attempts_check';
    -- A running job holds a lease (owner, token, expiry), and only a running job does.
    elsif not coalesce((p_state = 'running') = (p_lease_owner is not null)
                       and (p_lease_owner is null) = (p_lease_expires_at is null)
                       and (p_lease_owner is null) = (p_lease_token is null), true) then
        broken := 'jobs_lease_check';
    elsif not coalesce((p_state in ('succeeded', 'failed', 'cancelled')) = (p_finished_at is not null), true) then
        broken := 'jobs_finished_check';
    elsif not coalesce(char_length(p_dedupe_key) between 1 and 200, true) then
        broken := 'jobs_dedupe_key_length';
    elsif not coalesce(p_traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$', true) then
        broken := 'jobs_traceparent_format';
    else
        return true;
    end if;
    raise exception 'new row for relation "jobs" violates check constraint "%"', broken
        using errcode = 'check_violation', constraint = broken, table = 'jobs', schema = 'sentinel';
end
$$;
comment on function sentinel.check_job_row(text, text, integer, jsonb, integer, integer, text, text, timestamptz, uuid,
                                           timestamptz, text, text) is
    'The row rules of sentinel.jobs but its state set (jobs_row_check): true, or SQLSTATE 23514 naming the broken rule '
    'as its constraint (jobs_queue_format, jobs_type_format, jobs_priority_check, jobs_payload_object, jobs_attempts_check, '
    'jobs_lease_check, jobs_finished_check, jobs_dedupe_key_length, jobs_traceparent_format).';

do $$
begin
    if not sentinel.on_citus_coordinator() then
        alter table sentinel.jobs
            drop constraint jobs_queue_format,
            drop constraint jobs_type_format,
            drop constraint jobs_priority_check,
            drop constraint jobs_payload_object,
            drop constraint jobs_attempts_check,
            drop constraint jobs_lease_check,
            drop constraint jobs_finished_check,
            drop constraint jobs_dedupe_key_length,
            drop constraint jobs_traceparent_format,
            add constraint jobs_row_check check (sentinel.check_job_row(queue, job_type, priority, payload, attempts,
                max_attempts, state, lease_owner, lease_expires_at, lease_token, finished_at, dedupe_key, traceparent));
        comment on constraint jobs_row_check on sentinel.jobs is
            'Every row rule but the state set, in one call (sentinel.check_job_row), which names the broken rule.';
    end if;
end
$$;

-- The worker's completion outside Citus is one statement, not a call of sentinel.complete_job:
--   with done as (update sentinel.jobs ... where tenant_id = ? and id = ? and lease_token = ? returning 1)
--   select sentinel.job_lease_lost(?, ?) where not exists (select from done)
-- The UPDATE runs as the statement itself rather than through SPI in a function that sets its
-- search path, and this function runs only when no row matched. It raises SJ001 as complete_job
-- does, so the COMMIT sent behind it is still skipped. complete_job stays for Citus, where the CTE
-- form was not tried on a cluster.
create function sentinel.job_lease_lost(p_job_id uuid, p_lease_token uuid)
    returns void
    language plpgsql volatile
    set search_path = pg_catalog, pg_temp
    as $$
begin
    raise exception 'job % no longer holds lease %', p_job_id, p_lease_token
        using errcode = 'SJ001',
              hint = 'The lease expired and the job was rescued or claimed again, or it was cancelled.';
end
$$;
comment on function sentinel.job_lease_lost(uuid, uuid) is
    'Raises SQLSTATE SJ001 (lease lost) for a job; called by the worker''s completion when its UPDATE matched no row.';
