-- The agency domain, a module on top of Sentinel's kernel: its tables and functions live in schema
-- agency, with their own Flyway history (agency.flyway_schema_history); the kernel's objects are
-- named sentinel.<name>. This file: a tenant's environments, its projects (registered with the kernel
-- as a resource type, so grants and API keys can be narrowed to one), who works on them, the time
-- they book, and the tenant's price list of services. All tenant tables, all audited.
-- Runs as ${sentinel_owner_role}; the application role is ${sentinel_app_role}.

comment on schema agency is
    'The agency domain: projects and time, billing, contracts, leads, knowledge base, media and integrations. '
    'Built on Sentinel''s kernel (schema sentinel); owned by the owner role.';

-- The kernel's default privileges (sentinel V1) already cover the tables the owner creates here.
grant usage on schema agency to ${sentinel_app_role};


create table agency.environments (
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
select sentinel.distribute('agency.environments');

comment on table agency.environments is
    'A deployment environment of a tenant (for example staging and production): where its services run.';
comment on column agency.environments.key is 'Short URL-safe name, unique within the tenant.';
comment on column agency.environments.kind is
    'The kind of environment: development (where the service is developed), staging (where releases are '
    'tried before production) or production (what customers use). sentinel:enum EnvironmentKind';
comment on column agency.environments.url is 'Base URL of the environment, if it has one.';

create trigger environments_touch_updated_at
    before update on agency.environments
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.environments');
select sentinel.audit_table('agency.environments');


create table agency.projects (
    tenant_id     uuid          not null,
    id            uuid          not null,
    slug          text          not null,
    name          text          not null,
    description   text,
    status        text          not null default 'planned',
    starts_on     date,
    ends_on       date,
    budget_amount numeric(14, 2),
    currency      char(3),
    version       integer       not null default 0,
    created_at    timestamptz   not null default now(),
    updated_at    timestamptz   not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint projects_pkey primary key (tenant_id, id),
    constraint projects_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint projects_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    constraint projects_name_length check (char_length(name) between 1 and 200),
    constraint projects_status_check check (status in ('planned', 'active', 'on_hold', 'completed', 'cancelled')),
    constraint projects_period_check check (ends_on >= starts_on),
    constraint projects_budget_check check (budget_amount is null or (budget_amount >= 0 and currency is not null)),
    constraint projects_currency_format check (currency ~ '^[A-Z]{3}$'),
    constraint projects_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.projects');

comment on table agency.projects is
    'An engagement within a tenant: people are assigned to it and book time on it. Soft-deleted, so the '
    'invoices, contracts and media that name a project keep it. The kernel''s resource type project: a '
    'tenant role grant or an API key can be narrowed to one project, and dies with it.';
comment on column agency.projects.slug is 'URL-safe short name, unique among the tenant''s live projects.';
comment on column agency.projects.status is
    'The state of the project: planned (agreed, not started; takes time for kick-off work), active (under way), '
    'on_hold (paused), completed (done; takes no new time; may be reopened as active) or cancelled (abandoned; '
    'final). sentinel:enum ProjectStatus';
comment on column agency.projects.budget_amount is 'Agreed budget in currency; null if none.';
comment on column agency.projects.currency is 'ISO 4217 code of budget_amount; required with a budget.';
comment on column agency.projects.version is 'Optimistic-locking version, incremented on every update.';
comment on column agency.projects.deleted_at is 'Soft-delete time; null while the project is live.';
comment on column agency.projects.deleted_by is 'The actor who soft-deleted the project.';
comment on column agency.projects.delete_reason is 'Why the project was soft-deleted.';

create unique index projects_slug_live_key on agency.projects (tenant_id, slug) where deleted_at is null;

create trigger projects_touch_updated_at
    before update on agency.projects
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.projects');
select sentinel.audit_table('agency.projects');

-- The kernel knows no projects: it knows resource types. Registering agency.projects as 'project'
-- lets tenant_role_assignments and api_keys name a project as (resource_type, resource_id), lets
-- sentinel.resource_exists check such a reference (a soft-deleted project does not exist), and
-- attaches the trigger projects_revoke_resource_grants, which deletes the grants and keys narrowed
-- to a project when its row is deleted (nulling them would widen them to the whole tenant).
select sentinel.register_resource_type('project', 'agency.projects',
    'A project of the agency domain (agency.projects): grants and API keys can be narrowed to one.');


create table agency.project_assignments (
    tenant_id   uuid           not null,
    project_id  uuid           not null,
    user_id     uuid           not null,
    role        text           not null default 'member',
    hourly_rate numeric(12, 2),
    assigned_at timestamptz    not null default now(),
    created_at  timestamptz    not null default now(),
    updated_at  timestamptz    not null default now(),
    constraint project_assignments_pkey primary key (tenant_id, project_id, user_id),
    constraint project_assignments_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint project_assignments_project_fkey foreign key (tenant_id, project_id)
        references agency.projects (tenant_id, id) on delete cascade,
    -- Only members can be assigned. A membership row deleted (its user erased) takes its assignments
    -- with it; a membership removed (status removed, the row kept) ends them through the trigger
    -- tenant_members_end_project_assignments below.
    constraint project_assignments_member_fkey foreign key (tenant_id, user_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete cascade,
    constraint project_assignments_role_check check (role in ('lead', 'member', 'reviewer')),
    constraint project_assignments_rate_check check (hourly_rate >= 0)
);
select sentinel.distribute('agency.project_assignments');

comment on table agency.project_assignments is
    'A member of the tenant assigned to one of its projects. Ends when the member is removed from the tenant.';
comment on column agency.project_assignments.role is
    'The member''s role on the project: lead (leads it), member (works on it) or reviewer (reviews the '
    'work). sentinel:enum AssignmentRole';
comment on column agency.project_assignments.hourly_rate is
    'Rate billed for this person on this project, in the project''s currency; null to use the service price.';

create index project_assignments_member_idx on agency.project_assignments (tenant_id, user_id);

create trigger project_assignments_touch_updated_at
    before update on agency.project_assignments
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.project_assignments');
select sentinel.audit_table('agency.project_assignments');

-- Removing a member keeps the membership row (status removed) and ends what it granted. The kernel
-- ends the grants and sessions it knows; it knows no projects, so the agency domain ends its own
-- assignments, here, on the same update: whoever removes the member (the runtime, raw SQL, a data
-- fix) cannot leave a removed member on a project. The delete runs with the caller's rights and
-- scope, so row-level security applies, and the audit trigger of project_assignments records it.
create function agency.end_project_assignments() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    delete from agency.project_assignments where tenant_id = new.tenant_id and user_id = new.user_id;
    return null;
end
$$;
comment on function agency.end_project_assignments() is
    'AFTER UPDATE OF status row trigger of sentinel.tenant_members: when a member turns removed, deletes '
    'their project assignments in that tenant.';

create trigger tenant_members_end_project_assignments
    after update of status on sentinel.tenant_members
    for each row when (new.status = 'removed' and old.status is distinct from 'removed')
    execute function agency.end_project_assignments();


create table agency.services (
    tenant_id     uuid          not null,
    id            uuid          not null,
    code          text          not null,
    name          text          not null,
    description   text,
    unit          text          not null default 'hour',
    unit_price    numeric(14, 2) not null,
    currency      char(3)       not null,
    tax_rate      numeric(5, 2) not null default 0,
    active        boolean       not null default true,
    created_at    timestamptz   not null default now(),
    updated_at    timestamptz   not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint services_pkey primary key (tenant_id, id),
    constraint services_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint services_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
    constraint services_name_length check (char_length(name) between 1 and 200),
    constraint services_unit_check check (unit in ('hour', 'day', 'item', 'month')),
    constraint services_unit_price_check check (unit_price >= 0),
    constraint services_currency_format check (currency ~ '^[A-Z]{3}$'),
    constraint services_tax_rate_check check (tax_rate between 0 and 100),
    constraint services_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.services');

comment on table agency.services is
    'An entry of the tenant''s price list: what it sells, per unit. Soft-deleted, so the time entries and '
    'invoice lines that name a service keep it.';
comment on column agency.services.code is 'Short code, unique among the tenant''s live services.';
comment on column agency.services.unit is
    'Unit of sale: hour (the price is the default rate of time booked as this service), day, item or month. '
    'sentinel:enum ServiceUnit';
comment on column agency.services.unit_price is 'Net price per unit in currency.';
comment on column agency.services.currency is 'ISO 4217 currency code.';
comment on column agency.services.tax_rate is 'Tax rate in percent, 0 to 100.';
comment on column agency.services.active is 'False for a service no longer offered that stays on old invoices.';
comment on column agency.services.deleted_at is 'Soft-delete time; null while the service is live.';
comment on column agency.services.deleted_by is 'The actor who soft-deleted the service.';
comment on column agency.services.delete_reason is 'Why the service was soft-deleted.';

create unique index services_code_live_key on agency.services (tenant_id, code) where deleted_at is null;

create trigger services_touch_updated_at
    before update on agency.services
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.services');
select sentinel.audit_table('agency.services');


create table agency.time_entries (
    tenant_id        uuid        not null,
    id               uuid        not null,
    project_id       uuid        not null,
    user_id          uuid        not null,
    service_id       uuid,
    work_date        date        not null,
    duration_minutes integer     not null,
    description      text,
    billable         boolean     not null default true,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    hourly_rate      numeric(12, 2),
    currency         char(3),
    constraint time_entries_pkey primary key (tenant_id, id),
    constraint time_entries_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Booked time is billing evidence: a project with time on it is soft-deleted, not removed.
    constraint time_entries_project_fkey foreign key (tenant_id, project_id)
        references agency.projects (tenant_id, id) on delete restrict,
    -- The person, not their membership: the entry stays when they leave the tenant.
    constraint time_entries_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete restrict,
    -- Services are soft-deleted, so the link stays. Restrict, not set null: a purge of the service
    -- clears its links first (Citus refuses SET NULL on a key that includes tenant_id).
    constraint time_entries_service_fkey foreign key (tenant_id, service_id)
        references agency.services (tenant_id, id) on delete restrict,
    constraint time_entries_duration_check check (duration_minutes between 1 and 1440),
    constraint time_entries_rate_check check (hourly_rate >= 0),
    constraint time_entries_rate_currency_check check ((hourly_rate is null) = (currency is null)),
    constraint time_entries_currency_format check (currency ~ '^[A-Z]{3}$')
);
select sentinel.distribute('agency.time_entries');

comment on table agency.time_entries is 'Time a person booked on a project on one day.';
comment on column agency.time_entries.user_id is 'The person who did the work.';
comment on column agency.time_entries.service_id is 'The price-list entry the time is billed as, if any.';
comment on column agency.time_entries.work_date is 'The day the work was done, in the tenant''s time zone.';
comment on column agency.time_entries.duration_minutes is 'Minutes worked, 1 to 1440.';
comment on column agency.time_entries.billable is 'False for time that is never invoiced.';
-- The rate in force when the time was booked (given, or the assignment's, or the service's hourly
-- price), kept on the entry so that a later change of a rate never rewrites booked time.
comment on column agency.time_entries.hourly_rate is
    'Rate per hour the entry is billed at, fixed when it was booked; null if the time has no price.';
comment on column agency.time_entries.currency is 'ISO 4217 code of hourly_rate; set exactly when hourly_rate is.';

create index time_entries_project_idx on agency.time_entries (tenant_id, project_id, work_date);
create index time_entries_user_idx on agency.time_entries (tenant_id, user_id, work_date);
create index time_entries_service_idx on agency.time_entries (tenant_id, service_id);

create trigger time_entries_touch_updated_at
    before update on agency.time_entries
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.time_entries');
select sentinel.audit_table('agency.time_entries');


-- The permissions of tx.projects(), granted to the kernel's default tenant roles: admin everything;
-- staff the day-to-day writes; viewer nothing that writes. Permissions and grants are global rows,
-- written in the system scope (row-level security is forced for the owner too).
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'project:create', 'Create projects.'),
       (gen_random_uuid(), 'project:update', 'Change a project''s fields and status.'),
       (gen_random_uuid(), 'project:delete', 'Soft-delete and restore projects.'),
       (gen_random_uuid(), 'project:assign', 'Assign members to a project and end assignments.'),
       (gen_random_uuid(), 'time_entry:write', 'Book, correct and delete one''s own time.'),
       (gen_random_uuid(), 'time_entry:manage', 'Book, correct and delete anyone''s time.'),
       (gen_random_uuid(), 'service:write', 'Change the price list (services).'),
       (gen_random_uuid(), 'environment:write', 'Create, change and delete the tenant''s environments.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('project:create', 'project:update', 'project:delete', 'project:assign',
                                           'time_entry:write', 'time_entry:manage', 'service:write',
                                           'environment:write')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('project:update', 'time_entry:write')
 where r.key = 'staff';

set local sentinel.scope = '';
