-- Numbering: gap-free counters of a tenant, for documents that must be numbered without holes
-- (order numbers, receipts). A module names its series (ORD, RCPT) and, for a counter that
-- restarts, the period it passes (such as the year); the first call creates the counter.

create table sentinel.number_counters (
    tenant_id  uuid        not null,
    series     text        not null,
    period     text        not null default '',
    last_value bigint      not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint number_counters_pkey primary key (tenant_id, series, period),
    constraint number_counters_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint number_counters_series_format check (series ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$'),
    constraint number_counters_period_format check (period ~ '^[A-Za-z0-9_.-]{0,32}$'),
    constraint number_counters_last_value_check check (last_value >= 0)
);
select sentinel.distribute('sentinel.number_counters');

-- No touch trigger: sentinel.next_number sets updated_at itself, and it is on the hot path.
comment on table sentinel.number_counters is
    'The gap-free counter of one (tenant, series, period), advanced only by sentinel.next_number. '
    'sentinel:unaudited a counter; the row it numbers is audited.';
comment on column sentinel.number_counters.series is 'The series the counter numbers, named by the module, for example ORD.';
comment on column sentinel.number_counters.period is
    'The period the counter restarts in, for example 2026; empty for a counter that never restarts.';
comment on column sentinel.number_counters.last_value is 'The last number allocated; 0 before the first.';

select sentinel.enable_tenant_rls('sentinel.number_counters');

-- Gap-free: the upsert takes the counter row's lock and holds it until the transaction ends, so a
-- concurrent caller of the same series and period waits, then reads the committed value; a
-- rollback undoes the increment and returns the number, so no number is skipped and none is given
-- twice. The price is that numbering serializes the callers of one counter for the rest of their
-- transactions: make the call the last write of the transaction, just before commit.
create function sentinel.next_number(p_series text, p_period text default '') returns bigint
    language plpgsql volatile
    set search_path = pg_catalog, pg_temp
    as $$
declare
    tenant    uuid := sentinel.current_tenant_id();
    allocated bigint;
begin
    if tenant is null then
        raise exception 'numbering needs a tenant scope'
            using errcode = 'insufficient_privilege',
                  hint = 'Call sentinel.next_number in a transaction with sentinel.tenant_id set: counters belong to a tenant.';
    end if;
    insert into sentinel.number_counters as c (tenant_id, series, period, last_value, updated_at)
    values (tenant, p_series, p_period, 1, now())
    on conflict (tenant_id, series, period)
        do update set last_value = c.last_value + 1, updated_at = now()
    returning c.last_value into allocated;
    return allocated;
end
$$;
comment on function sentinel.next_number(text, text) is
    'The next number of the current tenant''s counter (p_series, p_period), from 1; creates the counter on '
    'first use. Gap-free: the counter row stays locked until commit and a rollback returns the number, so '
    'make it the last write of the transaction. Raises insufficient_privilege with no tenant set.';
