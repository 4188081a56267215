-- Tenancy: the tenants table, the root that every tenant table's tenant_id references, and the
-- check of its time zone, in which numbering periods and reports are computed.

-- An IANA time zone name that both PostgreSQL and Java know: a year or month computed by the
-- runtime with java.time (a numbering period, a reporting period) must mean the same in the
-- database. PostgreSQL's list minus the names Java rejects (EST, HST, MST, ROC: legacy
-- abbreviations; Factory; posixrules, localtime; posix/ and right/ copies).
create function sentinel.is_time_zone_name(zone text) returns boolean
    language sql stable
    set search_path = pg_catalog, pg_temp
    as $$
    select zone !~ '^(posix|right)/'
       and zone not in ('EST', 'HST', 'MST', 'ROC', 'Factory', 'posixrules', 'localtime')
       and exists (select from pg_timezone_names where name = zone)
$$;
comment on function sentinel.is_time_zone_name(text) is
    'True for an IANA time zone name that PostgreSQL and java.time both know, such as Europe/Berlin.';

create table sentinel.tenants (
    id            uuid        not null,
    slug          text        not null,
    name          text        not null,
    time_zone     text        not null default 'UTC',
    plan          text        not null default 'free',
    settings      jsonb       not null default '{}'::jsonb,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint tenants_pkey primary key (id),
    constraint tenants_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    constraint tenants_name_length check (char_length(name) between 1 and 200),
    constraint tenants_plan_check check (plan in ('free', 'pro', 'enterprise')),
    constraint tenants_settings_object check (jsonb_typeof(settings) = 'object')
);
select sentinel.distribute('sentinel.tenants');

comment on table sentinel.tenants is
    'A customer organisation. Its id is the tenant id that every tenant table carries and that RLS compares with.';
comment on column sentinel.tenants.slug is
    'URL-safe short name, unique among live tenants: a soft-deleted tenant frees its slug.';
comment on column sentinel.tenants.time_zone is
    'IANA time zone of the tenant (default UTC); numbering periods (years) and reporting periods are computed in it. '
    'Checked by a trigger against the names PostgreSQL and java.time both know.';
comment on column sentinel.tenants.plan is 'Commercial plan: free (the default), pro or enterprise. sentinel:enum TenantPlan';
comment on column sentinel.tenants.settings is 'Tenant-specific settings as a JSON object.';
comment on column sentinel.tenants.deleted_at is 'Soft-delete time; null while the tenant is live.';
comment on column sentinel.tenants.deleted_by is 'The actor who soft-deleted the tenant.';
comment on column sentinel.tenants.delete_reason is 'Why the tenant was soft-deleted.';

create unique index tenants_slug_live_key on sentinel.tenants (slug) where deleted_at is null;

create trigger tenants_touch_updated_at
    before update on sentinel.tenants
    for each row execute function sentinel.touch_updated_at();

-- A trigger rather than a CHECK: the list of zone names lives in the server's tzdata, which is not
-- immutable, so a CHECK could fail a restore after a tzdata update. The error still reads like a
-- check violation, naming tenants_time_zone_check as its constraint.
create function sentinel.check_tenant_time_zone() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.is_time_zone_name(new.time_zone) then
        raise exception using errcode = 'check_violation', constraint = 'tenants_time_zone_check',
            schema = tg_table_schema, table = tg_table_name,
            message = format('%L is not a time zone name', new.time_zone),
            hint = 'Use an IANA name such as Europe/Berlin, America/New_York or UTC.';
    end if;
    return new;
end
$$;
comment on function sentinel.check_tenant_time_zone() is
    'BEFORE INSERT/UPDATE OF time_zone trigger of tenants: rejects a name that is not a time zone.';

create trigger tenants_time_zone_check
    before insert or update of time_zone on sentinel.tenants
    for each row execute function sentinel.check_tenant_time_zone();

-- A tenant sees only its own tenants row; the system scope sees all. The same two policies as
-- sentinel.enable_tenant_rls creates, comparing id, the tenant id of this table. FORCE makes the
-- owner obey them too.
alter table sentinel.tenants enable row level security, force row level security;

create policy tenant_scope on sentinel.tenants
    using (id = sentinel.current_tenant_id())
    with check (id = sentinel.current_tenant_id());

create policy system_scope on sentinel.tenants
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
