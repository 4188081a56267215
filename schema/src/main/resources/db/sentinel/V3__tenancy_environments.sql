-- Tenancy, continued: a tenant's environments. (V1 created the tenants table.)

create table sentinel.environments (
    tenant_id  uuid        not null,
    id         uuid        not null,
    key        text        not null,
    name       text        not null,
    kind       text        not null,
    url        text,
    notes      text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint environments_pkey primary key (tenant_id, id),
    -- Tenants are soft-deleted; a hard delete must first remove the tenant's rows, explicitly.
    constraint environments_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint environments_key_format check (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    constraint environments_name_length check (char_length(name) between 1 and 200),
    constraint environments_key_key unique (tenant_id, key),
    constraint environments_kind_check check (kind in ('development', 'staging', 'production'))
);

comment on table sentinel.environments is
    'A deployment environment of a tenant (for example staging and production): where its services run.';
comment on column sentinel.environments.key is 'Short URL-safe name, unique within the tenant.';
comment on column sentinel.environments.kind is 'development, staging or production.';
comment on column sentinel.environments.url is 'Base URL of the environment, if it has one.';

create trigger environments_touch_updated_at
    before update on sentinel.environments
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.environments');
