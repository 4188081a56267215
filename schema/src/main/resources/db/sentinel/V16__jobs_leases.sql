-- Jobs, part two: lease tokens. A claim writes a fresh random token next to the lease owner; every
-- completion, failure, heartbeat or release names it (UPDATE ... WHERE id = ? AND lease_token = ?),
-- so a worker whose lease lapsed and was taken over cannot finish the job: its update finds no row.
-- The owner alone cannot fence: a restarted worker may come back under the same name.

alter table sentinel.jobs add column lease_token uuid;
comment on column sentinel.jobs.lease_token is
    'Fencing token of the current lease, new at every claim; null when the job is not running.';

alter table sentinel.jobs drop constraint jobs_lease_check;
-- A running job holds a lease (owner, token, expiry), and only a running job does.
alter table sentinel.jobs add constraint jobs_lease_check check ((state = 'running') = (lease_owner is not null)
    and (lease_owner is null) = (lease_expires_at is null)
    and (lease_owner is null) = (lease_token is null));

-- Fair claiming across claims: a claim serves first, among tenants' best due jobs, the tenant whose
-- latest claim in the queue is the oldest. This index answers "latest started_at of a tenant in a
-- queue" with one probe per tenant.
create index jobs_tenant_started_idx on sentinel.jobs (tenant_id, queue, started_at) where started_at is not null;
