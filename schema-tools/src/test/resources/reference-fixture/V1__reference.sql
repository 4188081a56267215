-- A service schema that exercises every part of the schema reference: a quoted CamelCase table with
-- a PostgreSQL enum, jsonb, soft delete and a partial unique index on an expression; a composite
-- foreign key that sets one column null; a secret column whose comment needs escaping; a global
-- table that says why it is not audited and references Sentinel's users; an append-only table.
create type "ProjectStatus" as enum ('ACTIVE', 'ARCHIVED');

create table "Project" (
    tenant_id     uuid            not null references sentinel.tenants (id) on delete restrict,
    id            uuid            not null,
    name          text            not null,
    status        "ProjectStatus" not null default 'ACTIVE',
    settings      jsonb           not null default '{}',
    "createdAt"   timestamptz(3)  not null default current_timestamp,
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (tenant_id, id)
);
comment on table "Project" is 'A project of a tenant. Archived projects stay <visible>.';
comment on column "Project".settings is 'Free-form *settings*, as JSON.';
create unique index "Project_name_live_key" on "Project" (tenant_id, lower(name)) where deleted_at is null;
select sentinel.enable_tenant_rls('"Project"');
select sentinel.audit_table('"Project"');

create table tasks (
    tenant_id  uuid not null references sentinel.tenants (id),
    id         uuid not null,
    project_id uuid,
    api_token  text check (sentinel.is_secret_ciphertext(api_token)),
    title      text not null,
    labels     text[] not null default '{}',
    primary key (tenant_id, id),
    constraint tasks_project_fkey foreign key (tenant_id, project_id)
        references "Project" (tenant_id, id) on delete set null (project_id)
);
comment on column tasks.api_token is 'sentinel:secret The token of the task''s | webhook.';
select sentinel.enable_tenant_rls('tasks');
select sentinel.audit_table('tasks');

create table settings (
    key        text primary key,
    value      jsonb not null,
    updated_by uuid references sentinel.users (id) on delete set null
);
comment on table settings is 'Global settings. sentinel:unaudited rebuilt from the configuration on every start';
select sentinel.enable_system_rls('settings');

create table events (
    tenant_id uuid   not null references sentinel.tenants (id),
    id        bigint generated always as identity,
    body      text,
    primary key (tenant_id, id)
);
create trigger events_append_only before update or delete or truncate on events
    for each statement execute function sentinel.reject_modification();
select sentinel.enable_tenant_rls('events');
