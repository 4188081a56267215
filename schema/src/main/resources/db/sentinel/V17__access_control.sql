-- Access control as the runtime uses it: permission keys in the resource:action form that services
-- write in code (invoice:issue), the default tenant role set, invitations and soft removal of
-- members, and global grants readable where they apply.

-- resource:action, such as invoice:issue or time_entry:write. No permission rows existed before
-- this migration, so no key needs rewriting.
alter table sentinel.permissions drop constraint permissions_key_format;
alter table sentinel.permissions add constraint permissions_key_format
    check (key ~ '^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+$');
comment on column sentinel.permissions.key is 'resource:action, for example invoice:issue.';

-- A global role counts in every tenant (platform support acting in a customer's tenant), so the
-- grant must be visible where the check runs. It names who holds a platform role, not tenant data.
create policy readable on sentinel.global_role_assignments for select using (true);


-- Reference rows are written in the system scope, like any global row (RLS is forced on the owner too).
set local sentinel.scope = 'system';

-- The default role set: admin, staff and viewer, as the seed services name them. Later migrations
-- add their permissions to these roles; a service changes them with tx.roles().define(...).
insert into sentinel.roles (id, key, name, description, scope)
values (gen_random_uuid(), 'admin', 'Administrator', 'Everything in the tenant, including members and roles.', 'tenant'),
       (gen_random_uuid(), 'staff', 'Staff', 'Day-to-day work: creates and changes the tenant''s records.', 'tenant'),
       (gen_random_uuid(), 'viewer', 'Viewer', 'Reads the tenant''s records; changes nothing.', 'tenant');

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'member:manage', 'Invite, add, change and remove members of the tenant.'),
       (gen_random_uuid(), 'role:assign', 'Assign and revoke roles (tenant and project roles in a tenant, global ones in the system scope).'),
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


-- Members: an invitation is a membership not yet accepted; a removed member keeps the row (the
-- history of who belonged) while their grants and sessions are deleted with the removal.
alter table sentinel.tenant_members
    add column status     text not null default 'active',
    add column removed_at timestamptz,
    add column removed_by uuid,
    alter column joined_at drop not null,
    add constraint tenant_members_status_check check (status in ('invited', 'active', 'removed')),
    add constraint tenant_members_joined_check check (status = 'invited' or joined_at is not null),
    add constraint tenant_members_removed_check check ((status = 'removed') = (removed_at is not null));

comment on column sentinel.tenant_members.status is
    'invited (not yet accepted), active, or removed. Only an active member''s grants count.';
comment on column sentinel.tenant_members.joined_at is 'When the user joined (accepted); null while invited.';
comment on column sentinel.tenant_members.removed_at is 'When the member was removed; null otherwise.';
comment on column sentinel.tenant_members.removed_by is 'The actor who removed the member.';
comment on table sentinel.tenant_members is
    'Membership of a user in a tenant. A user row is visible to a tenant only through this table. '
    'Removal keeps the row (status removed) and deletes the member''s grants and sessions.';


-- Inviting by e-mail address must find a user whom the tenant cannot see yet (users are global and
-- visible to a tenant only through membership), or create one. This function is the one place that
-- steps into the system scope for it, and only for the lookup and insert of that user row.
create function sentinel.find_or_create_user(p_id uuid, p_email text, p_display_name text) returns uuid
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    uuid;
begin
    perform set_config('sentinel.scope', 'system', true);
    select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    if found is null then
        insert into sentinel.users (id, email, display_name) values (p_id, p_email, p_display_name)
        on conflict do nothing;
        select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    end if;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return found;
end
$$;

comment on function sentinel.find_or_create_user(uuid, text, text) is
    'The id of the live user with this e-mail address (case-insensitive), created with p_id if there is '
    'none. Used by invitations from a tenant scope, which cannot see users who are not its members.';

-- Adding an existing user by id from a tenant scope has the same problem: whether the user exists.
create function sentinel.user_exists(p_id uuid) returns boolean
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    boolean;
begin
    perform set_config('sentinel.scope', 'system', true);
    select exists (select from sentinel.users where id = p_id and deleted_at is null) into found;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return found;
end
$$;

comment on function sentinel.user_exists(uuid) is
    'Whether a live user has this id, whatever the scope. Used when a tenant adds an existing user as a member.';
