-- Role-based access control. Roles and permissions are global definitions that every tenant reads;
-- assignments are split in two tables so that no tenant table holds a global row: a global
-- assignment (platform staff) and a tenant assignment, optionally narrowed to one project.

create table sentinel.roles (
    id          uuid        not null,
    key         text        not null,
    name        text        not null,
    description text,
    scope       text        not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint roles_pkey primary key (id),
    constraint roles_key_key unique (key),
    -- Target of the assignments' (role_id, role_scope) foreign keys.
    constraint roles_id_scope_key unique (id, scope),
    constraint roles_key_format check (key ~ '^[a-z][a-z0-9_.]{0,62}$'),
    constraint roles_name_length check (char_length(name) between 1 and 200),
    constraint roles_scope_check check (scope in ('global', 'tenant'))
);

comment on table sentinel.roles is
    'A named set of permissions. Global definitions: every scope reads them, only the system scope writes them.';
comment on column sentinel.roles.key is 'Stable identifier used in code, for example tenant_admin.';
comment on column sentinel.roles.scope is
    'Where the role may be assigned: global (global_role_assignments) or tenant (tenant_role_assignments).';

create trigger roles_touch_updated_at
    before update on sentinel.roles
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.roles');
create policy readable on sentinel.roles for select using (true);


create table sentinel.permissions (
    id          uuid        not null,
    key         text        not null,
    description text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint permissions_pkey primary key (id),
    constraint permissions_key_key unique (key),
    constraint permissions_key_format check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$')
);

comment on table sentinel.permissions is
    'One thing an actor may do, for example invoices.issue. Global definitions, readable by every scope.';
comment on column sentinel.permissions.key is 'Dotted identifier: resource, then action.';

create trigger permissions_touch_updated_at
    before update on sentinel.permissions
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.permissions');
create policy readable on sentinel.permissions for select using (true);


create table sentinel.role_permissions (
    role_id       uuid not null,
    permission_id uuid not null,
    constraint role_permissions_pkey primary key (role_id, permission_id),
    constraint role_permissions_role_fkey foreign key (role_id)
        references sentinel.roles (id) on delete cascade,
    constraint role_permissions_permission_fkey foreign key (permission_id)
        references sentinel.permissions (id) on delete cascade
);

comment on table sentinel.role_permissions is 'The permissions a role grants. Global, readable by every scope.';

create index role_permissions_permission_idx on sentinel.role_permissions (permission_id);

select sentinel.enable_system_rls('sentinel.role_permissions');
create policy readable on sentinel.role_permissions for select using (true);


create table sentinel.global_role_assignments (
    id         uuid        not null,
    user_id    uuid        not null,
    role_id    uuid        not null,
    role_scope text        not null default 'global',
    granted_by uuid,
    created_at timestamptz not null default now(),
    constraint global_role_assignments_pkey primary key (id),
    constraint global_role_assignments_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete cascade,
    -- A role still assigned cannot be deleted: revoke the assignments first, deliberately.
    constraint global_role_assignments_role_fkey foreign key (role_id, role_scope)
        references sentinel.roles (id, scope) on delete restrict,
    constraint global_role_assignments_key unique (user_id, role_id),
    constraint global_role_assignments_scope_check check (role_scope = 'global')
);

comment on table sentinel.global_role_assignments is
    'A global role held by a user across the platform (operators, support). Only the system scope sees it.';
comment on column sentinel.global_role_assignments.role_scope is
    'Always global: with role_id it references roles (id, scope), so only a global role can be assigned here.';
comment on column sentinel.global_role_assignments.granted_by is 'The actor who granted the role.';

create index global_role_assignments_role_idx on sentinel.global_role_assignments (role_id);

select sentinel.enable_system_rls('sentinel.global_role_assignments');


create table sentinel.tenant_role_assignments (
    tenant_id  uuid        not null,
    id         uuid        not null,
    user_id    uuid        not null,
    role_id    uuid        not null,
    role_scope text        not null default 'tenant',
    project_id uuid,
    granted_by uuid,
    created_at timestamptz not null default now(),
    constraint tenant_role_assignments_pkey primary key (tenant_id, id),
    constraint tenant_role_assignments_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint tenant_role_assignments_member_fkey foreign key (tenant_id, user_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete cascade,
    constraint tenant_role_assignments_role_fkey foreign key (role_id, role_scope)
        references sentinel.roles (id, scope) on delete restrict,
    -- Narrowed to a project, the grant dies with it: set null would widen it to the whole tenant.
    constraint tenant_role_assignments_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete cascade,
    -- One grant per (member, role, project); a tenant-wide grant has project null, and nulls count as equal.
    constraint tenant_role_assignments_key unique nulls not distinct (tenant_id, user_id, role_id, project_id),
    constraint tenant_role_assignments_scope_check check (role_scope = 'tenant')
);

comment on table sentinel.tenant_role_assignments is
    'A tenant role held by a member, across the tenant or narrowed to one project.';
comment on column sentinel.tenant_role_assignments.role_scope is
    'Always tenant: with role_id it references roles (id, scope), so only a tenant role can be assigned here.';
comment on column sentinel.tenant_role_assignments.project_id is
    'The project the grant is narrowed to; null for a grant across the tenant.';
comment on column sentinel.tenant_role_assignments.granted_by is 'The actor who granted the role.';

create index tenant_role_assignments_project_idx on sentinel.tenant_role_assignments (tenant_id, project_id);

select sentinel.enable_tenant_rls('sentinel.tenant_role_assignments');
