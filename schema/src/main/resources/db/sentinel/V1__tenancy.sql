-- Foundation: the tenant-scope functions that every row-level security policy calls, the grants
-- that make the application role work, and the tenants table.
-- Runs as ${sentinel_owner_role}; the application role is ${sentinel_app_role}.

comment on schema sentinel is 'Sentinel''s tables, functions and Flyway history; owned by the owner role.';

grant usage on schema sentinel to ${sentinel_app_role};

-- Every table and sequence the owner creates from now on, here or in a service's own schema, is
-- usable by the application role. Tables that must be narrower (the audit log) revoke explicitly.
alter default privileges for role ${sentinel_owner_role}
    grant select, insert, update, delete on tables to ${sentinel_app_role};
alter default privileges for role ${sentinel_owner_role}
    grant usage, select on sequences to ${sentinel_app_role};

-- The current tenant, or null when none is set: policies compare with it, and a comparison with
-- null is never true, so a connection without a tenant sees no rows (fail closed).
create function sentinel.current_tenant_id() returns uuid
    language sql stable parallel safe
    as $$ select nullif(current_setting('sentinel.tenant_id', true), '')::uuid $$;
comment on function sentinel.current_tenant_id() is
    'The tenant set with SET LOCAL sentinel.tenant_id in this transaction, or null. RLS policies compare tenant_id with it.';

-- True only inside Sentinel's system scope, where the second, named policy lets all rows through.
create function sentinel.in_system_scope() returns boolean
    language sql stable parallel safe
    as $$ select coalesce(current_setting('sentinel.scope', true) = 'system', false) $$;
comment on function sentinel.in_system_scope() is
    'True only inside the system scope (SET LOCAL sentinel.scope = ''system''), which Sentinel always audits.';

-- Keeps updated_at honest for writes that bypass the repository (raw SQL). An update that sets
-- updated_at itself (the repository does, from the service's injectable Clock) keeps its value.
create function sentinel.touch_updated_at() returns trigger
    language plpgsql
    as $$
begin
    if new.updated_at is not distinct from old.updated_at then
        new.updated_at := now();
    end if;
    return new;
end
$$;
comment on function sentinel.touch_updated_at() is
    'BEFORE UPDATE trigger function: sets updated_at to the transaction time unless the update set it.';

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

comment on table sentinel.tenants is
    'A customer organisation. Its id is the tenant id that every tenant table carries and that RLS compares with.';
comment on column sentinel.tenants.slug is
    'URL-safe short name, unique among live tenants: a soft-deleted tenant frees its slug.';
comment on column sentinel.tenants.time_zone is
    'IANA time zone of the tenant; invoice years and reporting periods are computed in it.';
comment on column sentinel.tenants.plan is 'Commercial plan: free, pro or enterprise.';
comment on column sentinel.tenants.settings is 'Tenant-specific settings as a JSON object.';
comment on column sentinel.tenants.deleted_at is 'Soft-delete time; null while the tenant is live.';
comment on column sentinel.tenants.deleted_by is 'The actor who soft-deleted the tenant.';
comment on column sentinel.tenants.delete_reason is 'Why the tenant was soft-deleted.';

create unique index tenants_slug_live_key on sentinel.tenants (slug) where deleted_at is null;

create trigger tenants_touch_updated_at
    before update on sentinel.tenants
    for each row execute function sentinel.touch_updated_at();

-- A tenant sees only its own tenants row; the system scope sees all. FORCE makes the owner obey
-- the policies too, so owner-run data migrations must enter the system scope explicitly.
alter table sentinel.tenants enable row level security, force row level security;

create policy tenant_scope on sentinel.tenants
    using (id = (select sentinel.current_tenant_id()))
    with check (id = (select sentinel.current_tenant_id()));

create policy system_scope on sentinel.tenants
    using ((select sentinel.in_system_scope()))
    with check ((select sentinel.in_system_scope()));
