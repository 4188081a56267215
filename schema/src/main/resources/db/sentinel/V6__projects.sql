-- Projects: a tenant's engagements, who works on them, the time they book, and the tenant's price
-- list of services. All tenant tables.

create table sentinel.projects (
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

comment on table sentinel.projects is
    'An engagement within a tenant: people are assigned to it and book time on it.';
comment on column sentinel.projects.slug is 'URL-safe short name, unique among the tenant''s live projects.';
comment on column sentinel.projects.status is 'planned, active, on_hold, completed or cancelled.';
comment on column sentinel.projects.budget_amount is 'Agreed budget in currency; null if none.';
comment on column sentinel.projects.currency is 'ISO 4217 code of budget_amount; required with a budget.';
comment on column sentinel.projects.version is 'Optimistic-locking version, incremented on every update.';
comment on column sentinel.projects.deleted_at is 'Soft-delete time; null while the project is live.';
comment on column sentinel.projects.deleted_by is 'The actor who soft-deleted the project.';
comment on column sentinel.projects.delete_reason is 'Why the project was soft-deleted.';

create unique index projects_slug_live_key on sentinel.projects (tenant_id, slug) where deleted_at is null;

create trigger projects_touch_updated_at
    before update on sentinel.projects
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.projects');

-- A key narrowed to a project dies with it: set null would silently widen it to the whole tenant.
alter table sentinel.api_keys
    add constraint api_keys_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete cascade;


create table sentinel.project_assignments (
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
        references sentinel.projects (tenant_id, id) on delete cascade,
    -- Only members can be assigned, and leaving the tenant ends the assignment.
    constraint project_assignments_member_fkey foreign key (tenant_id, user_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete cascade,
    constraint project_assignments_role_check check (role in ('lead', 'member', 'reviewer')),
    constraint project_assignments_rate_check check (hourly_rate >= 0)
);

comment on table sentinel.project_assignments is 'A member of the tenant assigned to one of its projects.';
comment on column sentinel.project_assignments.role is 'lead, member or reviewer.';
comment on column sentinel.project_assignments.hourly_rate is
    'Rate billed for this person on this project, in the project''s currency; null to use the service price.';

create index project_assignments_member_idx on sentinel.project_assignments (tenant_id, user_id);

create trigger project_assignments_touch_updated_at
    before update on sentinel.project_assignments
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.project_assignments');


create table sentinel.services (
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

comment on table sentinel.services is 'An entry of the tenant''s price list: what it sells, per unit.';
comment on column sentinel.services.code is 'Short code, unique among the tenant''s live services.';
comment on column sentinel.services.unit is 'Unit of sale: hour, day, item or month.';
comment on column sentinel.services.unit_price is 'Net price per unit in currency.';
comment on column sentinel.services.currency is 'ISO 4217 currency code.';
comment on column sentinel.services.tax_rate is 'Tax rate in percent, 0 to 100.';
comment on column sentinel.services.active is 'False for a service no longer offered that stays on old invoices.';
comment on column sentinel.services.deleted_at is 'Soft-delete time; null while the service is live.';
comment on column sentinel.services.deleted_by is 'The actor who soft-deleted the service.';
comment on column sentinel.services.delete_reason is 'Why the service was soft-deleted.';

create unique index services_code_live_key on sentinel.services (tenant_id, code) where deleted_at is null;

create trigger services_touch_updated_at
    before update on sentinel.services
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.services');


create table sentinel.time_entries (
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
    constraint time_entries_pkey primary key (tenant_id, id),
    constraint time_entries_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Booked time is billing evidence: a project with time on it is soft-deleted, not removed.
    constraint time_entries_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete restrict,
    -- The person, not their membership: the entry stays when they leave the tenant.
    constraint time_entries_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete restrict,
    constraint time_entries_service_fkey foreign key (tenant_id, service_id)
        references sentinel.services (tenant_id, id) on delete set null (service_id),
    constraint time_entries_duration_check check (duration_minutes between 1 and 1440)
);

comment on table sentinel.time_entries is 'Time a person booked on a project on one day.';
comment on column sentinel.time_entries.user_id is 'The person who did the work.';
comment on column sentinel.time_entries.service_id is 'The price-list entry the time is billed as, if any.';
comment on column sentinel.time_entries.work_date is 'The day the work was done, in the tenant''s time zone.';
comment on column sentinel.time_entries.duration_minutes is 'Minutes worked, 1 to 1440.';
comment on column sentinel.time_entries.billable is 'False for time that is never invoiced.';

create index time_entries_project_idx on sentinel.time_entries (tenant_id, project_id, work_date);
create index time_entries_user_idx on sentinel.time_entries (tenant_id, user_id, work_date);
create index time_entries_service_idx on sentinel.time_entries (tenant_id, service_id);

create trigger time_entries_touch_updated_at
    before update on sentinel.time_entries
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.time_entries');
