-- Role-based access control. Roles and permissions are global definitions that every tenant reads;
-- assignments are split in two tables so that no tenant table holds a global row: a global
-- assignment (platform staff) and a tenant assignment, across the tenant or narrowed to one
-- resource. The kinds of resource a grant can be narrowed to are registered in resource_types by
-- the module that owns their table; the kernel knows none of them.

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
select sentinel.distribute('sentinel.roles');

comment on table sentinel.roles is
    'A named set of permissions. Global definitions: every scope reads them, only the system scope writes them.';
comment on column sentinel.roles.key is 'Stable identifier used in code, for example tenant_admin.';
comment on column sentinel.roles.scope is
    'Where the role may be assigned: global (global_role_assignments, counts in every tenant) or tenant '
    '(tenant_role_assignments, across the tenant or for one resource). sentinel:enum RoleScope';

create trigger roles_touch_updated_at
    before update on sentinel.roles
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.roles');
create policy readable on sentinel.roles for select using (true);
select sentinel.audit_table('sentinel.roles');


create table sentinel.permissions (
    id          uuid        not null,
    key         text        not null,
    description text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint permissions_pkey primary key (id),
    constraint permissions_key_key unique (key),
    -- resource:action, as a service writes them in code, such as member:manage or order:approve.
    constraint permissions_key_format check (key ~ '^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+$')
);
select sentinel.distribute('sentinel.permissions');

comment on table sentinel.permissions is
    'One thing an actor may do, for example member:manage. Global definitions, readable by every scope.';
comment on column sentinel.permissions.key is 'resource:action, for example member:manage.';

create trigger permissions_touch_updated_at
    before update on sentinel.permissions
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.permissions');
create policy readable on sentinel.permissions for select using (true);
select sentinel.audit_table('sentinel.permissions');


create table sentinel.role_permissions (
    role_id       uuid not null,
    permission_id uuid not null,
    constraint role_permissions_pkey primary key (role_id, permission_id),
    constraint role_permissions_role_fkey foreign key (role_id)
        references sentinel.roles (id) on delete cascade,
    constraint role_permissions_permission_fkey foreign key (permission_id)
        references sentinel.permissions (id) on delete cascade
);
select sentinel.distribute('sentinel.role_permissions');

comment on table sentinel.role_permissions is 'The permissions a role grants. Global, readable by every scope.';

create index role_permissions_permission_idx on sentinel.role_permissions (permission_id);

select sentinel.enable_system_rls('sentinel.role_permissions');
create policy readable on sentinel.role_permissions for select using (true);
select sentinel.audit_table('sentinel.role_permissions');


create table sentinel.resource_types (
    key         text        not null,
    table_name  text        not null,
    description text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint resource_types_pkey primary key (key),
    constraint resource_types_key_format check (key ~ '^[a-z][a-z0-9_]{0,62}$')
);
select sentinel.distribute('sentinel.resource_types');

comment on table sentinel.resource_types is
    'A kind of tenant resource that a role grant or an API key can be narrowed to, registered with '
    'sentinel.register_resource_type by the module that owns its table. Global, readable by every scope.';
comment on column sentinel.resource_types.key is
    'Stable identifier used in code and in resource_type columns, for example document.';
comment on column sentinel.resource_types.table_name is
    'The schema-qualified table whose rows are the resources; it has tenant_id and id, and a trigger that '
    'deletes the grants and keys narrowed to a row when the row is deleted.';

create trigger resource_types_touch_updated_at
    before update on sentinel.resource_types
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.resource_types');
create policy readable on sentinel.resource_types for select using (true);
select sentinel.audit_table('sentinel.resource_types');

-- V5 created api_keys before resource_types existed.
alter table sentinel.api_keys
    add constraint api_keys_resource_type_fkey foreign key (resource_type)
        references sentinel.resource_types (key) on delete restrict;


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
select sentinel.distribute('sentinel.global_role_assignments');

comment on table sentinel.global_role_assignments is
    'A global role held by a user across the platform (operators, support). Every scope reads it; only the '
    'system scope writes it.';
comment on column sentinel.global_role_assignments.role_scope is
    'Always global: with role_id it references roles (id, scope), so only a global role can be assigned here.';
comment on column sentinel.global_role_assignments.granted_by is 'The actor who granted the role.';

create index global_role_assignments_role_idx on sentinel.global_role_assignments (role_id);

select sentinel.enable_system_rls('sentinel.global_role_assignments');
-- A global role counts in every tenant (platform support acting in a customer's tenant), so the
-- grant must be visible where the check runs. It names who holds a platform role, not tenant data.
create policy readable on sentinel.global_role_assignments for select using (true);
select sentinel.audit_table('sentinel.global_role_assignments');


create table sentinel.tenant_role_assignments (
    tenant_id     uuid        not null,
    id            uuid        not null,
    user_id       uuid        not null,
    role_id       uuid        not null,
    role_scope    text        not null default 'tenant',
    resource_type text,
    resource_id   uuid,
    granted_by    uuid,
    created_at    timestamptz not null default now(),
    constraint tenant_role_assignments_pkey primary key (tenant_id, id),
    constraint tenant_role_assignments_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint tenant_role_assignments_member_fkey foreign key (tenant_id, user_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete cascade,
    constraint tenant_role_assignments_role_fkey foreign key (role_id, role_scope)
        references sentinel.roles (id, scope) on delete restrict,
    -- A registered kind cannot be unregistered while grants are narrowed to it.
    constraint tenant_role_assignments_resource_type_fkey foreign key (resource_type)
        references sentinel.resource_types (key) on delete restrict,
    -- One grant per (member, role, resource); a tenant-wide grant has no resource, and nulls count as equal.
    constraint tenant_role_assignments_key
        unique nulls not distinct (tenant_id, user_id, role_id, resource_type, resource_id),
    constraint tenant_role_assignments_scope_check check (role_scope = 'tenant'),
    -- Narrowed to one resource (both set) or across the tenant (both null).
    constraint tenant_role_assignments_resource_check check ((resource_type is null) = (resource_id is null))
);
select sentinel.distribute('sentinel.tenant_role_assignments');

comment on table sentinel.tenant_role_assignments is
    'A tenant role held by a member, across the tenant or narrowed to one resource.';
comment on column sentinel.tenant_role_assignments.role_scope is
    'Always tenant: with role_id it references roles (id, scope), so only a tenant role can be assigned here.';
comment on column sentinel.tenant_role_assignments.resource_type is
    'The kind of resource the grant is narrowed to (resource_types.key); null for a grant across the tenant.';
comment on column sentinel.tenant_role_assignments.resource_id is
    'The id of the resource the grant is narrowed to; null for a grant across the tenant. When the resource '
    'is deleted, the grant is deleted with it (sentinel.revoke_resource_grants).';
comment on column sentinel.tenant_role_assignments.granted_by is 'The actor who granted the role.';

create index tenant_role_assignments_resource_idx
    on sentinel.tenant_role_assignments (tenant_id, resource_type, resource_id);

select sentinel.enable_tenant_rls('sentinel.tenant_role_assignments');
select sentinel.audit_table('sentinel.tenant_role_assignments');


-- Whether a resource that a grant or key is about to be narrowed to exists, live, in the current
-- tenant. The kernel cannot name the resource tables, so it reads the table from resource_types and
-- queries it dynamically. Not a security definer: it runs with the caller's rights, so the
-- resource table's row-level security applies as to any other query of the caller.
create function sentinel.resource_exists(p_type text, p_id uuid) returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    as $$
declare
    target      regclass;
    live_filter text := '';
    found       boolean;
begin
    select table_name::regclass into target from sentinel.resource_types where key = p_type;
    if target is null then
        raise exception 'resource type % is not registered', coalesce(quote_literal(p_type), 'null')
            using errcode = 'invalid_parameter_value',
                  hint = 'The module that owns the table registers it with sentinel.register_resource_type.';
    end if;
    if exists (select from pg_attribute
               where attrelid = target and attname = 'deleted_at' and attnum > 0 and not attisdropped) then
        live_filter := ' and deleted_at is null';
    end if;
    execute format('select exists (select from %s where tenant_id = sentinel.current_tenant_id() and id = $1%s)',
                   target, live_filter)
       into found
      using p_id;
    return found;
end
$$;
comment on function sentinel.resource_exists(text, uuid) is
    'Whether a live row (deleted_at null, where the table has the column) of the registered resource type '
    'p_type has id p_id in the current tenant. Raises invalid_parameter_value for a type not registered. '
    'Runs with the caller''s rights.';

-- A grant or key narrowed to a resource dies with it: nulling the narrowing would silently widen it
-- to the whole tenant, and the kernel's tables cannot hold a foreign key to a table it does not
-- know (nor a polymorphic one). So the resource table gets this AFTER DELETE row trigger, which
-- does what a cascading foreign key would. It runs with the deleting caller's rights: whoever may
-- delete the resource row is in its tenant's scope or in the system scope, and so sees the grants.
create function sentinel.revoke_resource_grants() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    delete from sentinel.tenant_role_assignments
     where tenant_id = old.tenant_id and resource_type = tg_argv[0] and resource_id = old.id;
    delete from sentinel.api_keys
     where tenant_id = old.tenant_id and resource_type = tg_argv[0] and resource_id = old.id;
    return null;
end
$$;
comment on function sentinel.revoke_resource_grants() is
    'AFTER DELETE row trigger of a registered resource table (argument: the resource type): deletes the '
    'tenant_role_assignments and api_keys narrowed to the deleted row. Attached by sentinel.register_resource_type.';

-- Called by the migration that creates a resource table, once, after the create table: the row in
-- resource_types is global, so the insert steps into the system scope like find_or_create_user
-- does, and restores the caller's scope after it.
create function sentinel.register_resource_type(p_key text, p_table regclass, p_description text) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
begin
    if (select count(*) from pg_attribute
        where attrelid = p_table and attname in ('tenant_id', 'id') and atttypid = 'uuid'::regtype
          and attnum > 0 and not attisdropped) <> 2 then
        raise exception '% has no tenant_id and id uuid columns; its rows cannot be resources', p_table
            using errcode = 'invalid_parameter_value',
                  hint = 'A resource table is a tenant table with primary key (tenant_id, id).';
    end if;
    perform set_config('sentinel.scope', 'system', true);
    -- p_table prints schema-qualified under this function's search_path.
    insert into sentinel.resource_types (key, table_name, description) values (p_key, p_table::text, p_description);
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    execute format('create trigger %I after delete on %s for each row execute function sentinel.revoke_resource_grants(%L)',
                   (select relname from pg_class where oid = p_table) || '_revoke_resource_grants', p_table, p_key);
end
$$;
comment on function sentinel.register_resource_type(text, regclass, text) is
    'Registers the rows of p_table (a tenant table with tenant_id and id) as resources of type p_key, which role '
    'grants and API keys can be narrowed to, and attaches the trigger <table>_revoke_resource_grants that deletes '
    'those grants and keys with the row. Call it in the migration that creates the table.';
revoke execute on function sentinel.register_resource_type(text, regclass, text) from public;


-- Reference rows are written in the system scope, like any global row (RLS is forced on the owner too).
set local sentinel.scope = 'system';

-- The default role set: admin, staff and viewer, as the seed systems name them. Modules add their
-- permissions to these roles; a service changes them with tx.roles().define(...).
insert into sentinel.roles (id, key, name, description, scope)
values (gen_random_uuid(), 'admin', 'Administrator', 'Everything in the tenant, including members and roles.', 'tenant'),
       (gen_random_uuid(), 'staff', 'Staff', 'Day-to-day work: creates and changes the tenant''s records.', 'tenant'),
       (gen_random_uuid(), 'viewer', 'Viewer', 'Reads the tenant''s records; changes nothing.', 'tenant');

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'member:manage', 'Invite, add, change and remove members of the tenant.'),
       (gen_random_uuid(), 'role:assign', 'Assign and revoke roles (tenant-wide and resource-scoped ones in a tenant, global ones in the system scope).'),
       (gen_random_uuid(), 'role:define', 'Create and change roles and their permissions (system scope).'),
       (gen_random_uuid(), 'user:manage', 'Create and change users (system scope).'),
       (gen_random_uuid(), 'api_key:manage', 'Create and revoke the tenant''s API keys.'),
       (gen_random_uuid(), 'job:manage', 'Cancel and retry the tenant''s jobs by hand.'),
       (gen_random_uuid(), 'data:purge', 'Erase soft-deleted rows for good (system scope).');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('member:manage', 'role:assign', 'api_key:manage', 'job:manage')
 where r.key = 'admin';

set local sentinel.scope = '';
