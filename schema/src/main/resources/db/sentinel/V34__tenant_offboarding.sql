-- Offboarding (issue #28): a tenant is closed (no new writes, reads still allowed for a grace
-- period), then purged by the owner role (dev.sentinel.core.lifecycle.TenantPurge), in batches,
-- resumably, with one record in the system trail.

-- The closed state. Both set together by closing, both cleared by reopening; purge_after is when the
-- grace period ends and the purge may start.
alter table sentinel.tenants
    add column closed_at   timestamptz,
    add column purge_after timestamptz,
    add constraint tenants_closed_check check ((closed_at is null) = (purge_after is null) and purge_after >= closed_at);
comment on column sentinel.tenants.closed_at is
    'When the tenant was closed: from then on its tenant-scope transactions are read-only (sentinel.pin_closed_tenant). '
    'Null while the tenant is open.';
comment on column sentinel.tenants.purge_after is
    'End of the grace period of a closed tenant: the owner''s purge refuses to start before it. Null while open.';

-- Closing and reopening are the system scope's (or the owner's), never the tenant's own: a tenant
-- that could clear closed_at, or bring purge_after forward, would decide its own offboarding.
create function sentinel.guard_tenant_lifecycle() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.in_system_scope() then
        raise exception 'tenant % can be closed or reopened only in the system scope', new.id
            using errcode = 'insufficient_privilege', schema = tg_table_schema, table = tg_table_name,
                  hint = 'Close or reopen a tenant with TenantLifecycle in a sentinel.system(actor) transaction.';
    end if;
    if new.closed_at is null and sentinel.tenant_purge_started(new.id) then
        raise exception 'tenant % cannot be reopened: its purge has started', new.id
            using errcode = 'object_not_in_prerequisite_state', schema = tg_table_schema, table = tg_table_name,
                  hint = 'A purge that started deletes the tenant''s rows table by table; run it again to finish it.';
    end if;
    return new;
end
$$;
comment on function sentinel.guard_tenant_lifecycle() is
    'BEFORE UPDATE OF closed_at, purge_after trigger of tenants: only the system scope closes or reopens a tenant.';

create trigger tenants_lifecycle_guard
    before update of closed_at, purge_after on sentinel.tenants
    for each row when (old.closed_at is distinct from new.closed_at or old.purge_after is distinct from new.purge_after)
    execute function sentinel.guard_tenant_lifecycle();

-- Called by every tenant-scope transaction in its first round trip, after the tenant setting, in the
-- same prepared select as the pins: one primary-key read of tenants per transaction (the measured
-- choice; docs/decisions.md). A closed tenant's transaction becomes read-only, which PostgreSQL
-- allows at any point of a transaction, while turning it back to read-write is refused once a query
-- has run: raw SQL sent later through tx.dsl() cannot undo it. No SET clause (it would cost a
-- configuration save and restore per call): every name is schema-qualified. Returns the closing
-- time, which the runtime keeps to name in its TenantClosedException.
create function sentinel.pin_closed_tenant(p_tenant text) returns timestamptz
    language plpgsql
    as $$
declare
    closed timestamptz;
begin
    if p_tenant is null or p_tenant = '' then
        return null;
    end if;
    select t.closed_at into closed from sentinel.tenants t where t.id = p_tenant::uuid;
    if closed is not null then
        perform pg_catalog.set_config('transaction_read_only', 'on', true);
    end if;
    return closed;
end
$$;
comment on function sentinel.pin_closed_tenant(text) is
    'Makes the transaction read-only when the tenant (the sentinel.tenant_id setting''s value; '''' for none) is closed, '
    'and returns its closed_at (null when open or unknown). Reads tenants under row-level security, as the caller.';


-- The purge's state, so that a purge cut short (a crash, a lost connection) resumes where it
-- stopped with the counts right: each batch's delete and the count it adds commit together. The
-- tenant is named in a column that is not tenant_id, so that the purge, which finds tenant tables
-- by that column, leaves its own record alone. Owner only.
create table sentinel.tenant_purges (
    purged_tenant uuid        not null,
    actor         text        not null,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    constraint tenant_purges_pkey primary key (purged_tenant)
);
select sentinel.distribute('sentinel.tenant_purges');
comment on table sentinel.tenant_purges is
    'One row per tenant purge, started or finished (TenantPurge); the owner''s alone. '
    'sentinel:unaudited the purge records itself in system_audit_log when it finishes.';
comment on column sentinel.tenant_purges.purged_tenant is 'The purged tenant''s id (its tenants row is gone once finished).';
comment on column sentinel.tenant_purges.actor is 'Who started the purge, as the sentinel.actor_id setting names it.';
comment on column sentinel.tenant_purges.started_at is 'When the purge first started.';
comment on column sentinel.tenant_purges.finished_at is 'When the tenants row went and the system trail got its record; null while under way.';
select sentinel.enable_system_rls('sentinel.tenant_purges');
revoke all on sentinel.tenant_purges from ${sentinel_app_role};

create table sentinel.tenant_purge_tables (
    purged_tenant uuid    not null,
    relation      text    not null,
    position      integer not null,
    rows_deleted  bigint  not null default 0,
    done          boolean not null default false,
    constraint tenant_purge_tables_pkey primary key (purged_tenant, relation),
    constraint tenant_purge_tables_purge_fkey foreign key (purged_tenant)
        references sentinel.tenant_purges (purged_tenant) on delete cascade,
    constraint tenant_purge_tables_rows_check check (rows_deleted >= 0)
);
select sentinel.distribute('sentinel.tenant_purge_tables');
comment on table sentinel.tenant_purge_tables is
    'Per table of a tenant purge: the rows deleted so far and whether the table is done. '
    'sentinel:unaudited the purge''s own bookkeeping, owner only.';
comment on column sentinel.tenant_purge_tables.relation is 'The table, schema-qualified.';
comment on column sentinel.tenant_purge_tables.position is 'Its place in the purge''s order: children before the tables they reference.';
comment on column sentinel.tenant_purge_tables.rows_deleted is 'Rows of the tenant deleted from the table so far.';
comment on column sentinel.tenant_purge_tables.done is 'Whether a batch found no more rows of the tenant.';
select sentinel.enable_system_rls('sentinel.tenant_purge_tables');
revoke all on sentinel.tenant_purge_tables from ${sentinel_app_role};

-- Whether a purge of the tenant has started: a reopened tenant whose purge had deleted part of its
-- rows would be writable half-gone. SECURITY DEFINER so that the lifecycle guard, which runs as the
-- system role, may ask without the system role reading the purges' table; it answers only this, and
-- (the table forcing row-level security on its owner too) only inside the system scope.
create function sentinel.tenant_purge_started(p_tenant uuid) returns boolean
    language sql stable
    security definer
    set search_path = pg_catalog, pg_temp
    as $$
    select exists (select from sentinel.tenant_purges where purged_tenant = p_tenant)
$$;
comment on function sentinel.tenant_purge_started(uuid) is
    'Whether a purge of the tenant has started (a row in tenant_purges); used by the lifecycle guard.';
revoke execute on function sentinel.tenant_purge_started(uuid) from public;
grant execute on function sentinel.tenant_purge_started(uuid) to ${sentinel_system_role};
