-- Jobs, the claim's second design (issue 25): per-tenant router statements, a round robin kept in a
-- small table, a completion that fails loudly, and retention.
--
-- A worker no longer claims with one cross-tenant statement (a recursive skip scan over tenants,
-- each tenant's max(started_at), then FOR UPDATE SKIP LOCKED across tenants: Citus refuses the
-- recursive CTE and the cross-tenant lock). A claim now reads, without locking, which tenants of the
-- queue have due jobs and which was served least recently (this table), then locks and claims per
-- tenant, each statement naming one tenant_id (a router query on Citus).

create table sentinel.job_tenant_queues (
    tenant_id uuid        not null,
    queue     text        not null,
    served_at timestamptz,
    constraint job_tenant_queues_pkey primary key (tenant_id, queue),
    constraint job_tenant_queues_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete cascade,
    constraint job_tenant_queues_queue_format check (queue ~ '^[a-z][a-z0-9_-]{0,62}$')
);
select sentinel.distribute('sentinel.job_tenant_queues');

comment on table sentinel.job_tenant_queues is
    'The tenants that have ever had a job in a queue, and when each was last served by a claim: the claim''s '
    'round robin. An enqueue adds the row (insert ... on conflict do nothing, in the enqueue''s statement); rows '
    'are never removed while the tenant exists, since removing one could race with a concurrent enqueue. '
    'sentinel:unaudited bookkeeping of the claim; the jobs themselves are audited where it matters.';
comment on column sentinel.job_tenant_queues.queue is 'The queue.';
comment on column sentinel.job_tenant_queues.served_at is
    'When a claim last took jobs of this tenant from this queue; null for never. The least recently served go first.';

select sentinel.enable_tenant_rls('sentinel.job_tenant_queues');

-- Databases that already hold jobs: their tenants and queues join the round robin.
insert into sentinel.job_tenant_queues (tenant_id, queue, served_at)
select tenant_id, queue, max(started_at) from sentinel.jobs group by tenant_id, queue;

-- The cross-tenant claim index and the max(started_at) index served the old claim only; dropping
-- them saves two index writes per enqueue and per claim.
drop index sentinel.jobs_claim_idx;
drop index sentinel.jobs_tenant_started_idx;

-- Retention deletes a tenant's finished jobs oldest first. Dead jobs (state failed) are not in it:
-- they stay until handled (retried by hand).
create index jobs_tenant_finished_idx on sentinel.jobs (tenant_id, finished_at)
    where state in ('succeeded', 'cancelled');

-- The worker's completion, sent in the handler's transaction together with its COMMIT in one round
-- trip. It raises when the lease is no longer held, so the COMMIT that follows it in the same batch
-- is skipped and the handler's writes roll back: exactly once for the database's effects.
create function sentinel.complete_job(p_tenant_id uuid, p_job_id uuid, p_lease_token uuid, p_result jsonb)
    returns void
    language plpgsql volatile
    set search_path = pg_catalog, pg_temp
    as $$
begin
    update sentinel.jobs
       set state = 'succeeded', result = p_result, finished_at = now(),
           lease_owner = null, lease_token = null, lease_expires_at = null
     where tenant_id = p_tenant_id and id = p_job_id and lease_token = p_lease_token and state = 'running';
    if not found then
        raise exception 'job % no longer holds lease %', p_job_id, p_lease_token
            using errcode = 'SJ001',
                  hint = 'The lease expired and the job was rescued or claimed again, or it was cancelled.';
    end if;
end
$$;
comment on function sentinel.complete_job(uuid, uuid, uuid, jsonb) is
    'Marks a running job succeeded if the lease token still holds it; otherwise raises SQLSTATE SJ001 '
    '(lease lost), so the transaction it is part of cannot commit. Row-level security applies (security invoker).';
