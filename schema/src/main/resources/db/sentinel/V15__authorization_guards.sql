-- Authorization kept by the database where a forgotten tx.authorize would otherwise let a raw
-- update through: membership changes need member:manage, tenant-wide role grants role:assign, a
-- tenant's plan tenant:plan, all decided as tx.authorize decides them, from the actor setting of
-- the transaction. The actor setting is a transaction setting like the tenant: these guards stop
-- application code that forgot to authorize, not raw SQL that sets another actor (the threat model
-- in docs/concepts.md says so). And a membership of a user becomes active only by that user's
-- acceptance: a tenant sees a user's row (and so their credentials) only once they accepted.

-- permissions is a global table: only the system scope writes it, the owner included (FORCE).
set local sentinel.scope = 'system';
insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'tenant:plan', 'Change the tenant''s commercial plan.');
set local sentinel.scope = '';

-- tx.authorize in SQL: a service actor holds every permission (it is the service's own work); a
-- user holds what their global grants and their tenant-wide grants in the current tenant (as an
-- active member) give, while the user is active. No actor set holds nothing.
create function sentinel.actor_holds(p_permission text) returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    as $$
declare
    actor text := nullif(current_setting('sentinel.actor_id', true), '');
    actor_user uuid;
begin
    if actor is null then
        return false;
    end if;
    if actor like 'service:%' then
        return true;
    end if;
    actor_user := actor::uuid;
    return sentinel.user_is_active(actor_user) and exists (
        select from (select role_id from sentinel.global_role_assignments where user_id = actor_user
                     union all
                     select a.role_id
                       from sentinel.tenant_role_assignments a
                       join sentinel.tenant_members m on m.tenant_id = a.tenant_id and m.user_id = a.user_id and m.status = 'active'
                      where a.tenant_id = sentinel.current_tenant_id() and a.user_id = actor_user and a.resource_id is null) g
          join sentinel.role_permissions rp on rp.role_id = g.role_id
          join sentinel.permissions p on p.id = rp.permission_id and p.key = p_permission);
end
$$;
comment on function sentinel.actor_holds(text) is
    'Whether the transaction''s actor (sentinel.actor_id) holds the permission across the current tenant or '
    'globally, as tx.authorize decides: a service actor holds every permission, a disabled user none. The '
    'database''s guards call it; it trusts the actor setting.';

create function sentinel.refuse_unauthorized(p_permission text, p_what text, p_table text) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    raise exception using errcode = 'insufficient_privilege', schema = 'sentinel', table = p_table,
        message = format('%s needs permission %s, which the actor %s does not hold', p_what, p_permission,
                         coalesce(nullif(current_setting('sentinel.actor_id', true), ''), '(none)')),
        hint = 'Go through the API, which checks the permission (tx.authorize), as an actor who holds it.';
end
$$;
comment on function sentinel.refuse_unauthorized(text, text, text) is
    'Raises insufficient_privilege (SQLSTATE 42501) naming the permission the actor lacks; the guards call it.';

-- Memberships in a tenant scope: every change needs member:manage, except the user accepting their
-- own invitation; and a membership enters active only by the user themselves or a service actor
-- (the service's own onboarding), never by another user, however privileged. The system scope is
-- the operators' path and is not checked here.
create function sentinel.guard_membership() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    actor text := coalesce(current_setting('sentinel.actor_id', true), '');
    same  text[] := array['status', 'joined_at', 'updated_at'];
begin
    if sentinel.in_system_scope() then
        if tg_op = 'DELETE' then
            return old;
        end if;
        return new;
    end if;
    if tg_op = 'UPDATE' and old.status = 'invited' and new.status = 'active' and actor = new.user_id::text
            and (to_jsonb(new) - same) = (to_jsonb(old) - same) then
        return new;
    end if;
    if not sentinel.actor_holds('member:manage') then
        perform sentinel.refuse_unauthorized('member:manage', 'changing the members of a tenant', tg_table_name);
    end if;
    if tg_op <> 'DELETE' and new.status = 'active' and (tg_op = 'INSERT' or old.status <> 'active')
            and actor not like 'service:%' and actor <> new.user_id::text then
        raise exception using errcode = 'check_violation', constraint = 'tenant_members_acceptance',
            schema = tg_table_schema, table = tg_table_name,
            message = format('the membership of user %s becomes active only by their own acceptance', new.user_id),
            hint = 'Invite the user (status invited); they accept with members().accept in their own name.';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end
$$;
comment on function sentinel.guard_membership() is
    'BEFORE INSERT/UPDATE/DELETE trigger of tenant_members in a tenant scope: needs member:manage (but for a '
    'user accepting their own invitation), and a membership becomes active only by the user or a service actor.';

create trigger tenant_members_guard
    before insert or update or delete on sentinel.tenant_members
    for each row execute function sentinel.guard_membership();

-- Tenant-wide and resource grants in a tenant scope need role:assign. Deletions are not checked:
-- removing a member and deleting a resource delete their grants (sentinel.revoke_resource_grants),
-- and a deletion never raises anyone's rights.
create function sentinel.guard_role_assignment() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.in_system_scope() and not sentinel.actor_holds('role:assign') then
        perform sentinel.refuse_unauthorized('role:assign', 'granting a role', tg_table_name);
    end if;
    return new;
end
$$;
comment on function sentinel.guard_role_assignment() is
    'BEFORE INSERT/UPDATE trigger of tenant_role_assignments in a tenant scope: needs role:assign.';

create trigger tenant_role_assignments_guard
    before insert or update on sentinel.tenant_role_assignments
    for each row execute function sentinel.guard_role_assignment();

-- The plan decides what a tenant pays for: tenant:plan in any scope (a service actor holds it).
create function sentinel.guard_tenant_plan() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.actor_holds('tenant:plan') then
        perform sentinel.refuse_unauthorized('tenant:plan', 'changing a tenant''s plan', tg_table_name);
    end if;
    return new;
end
$$;
comment on function sentinel.guard_tenant_plan() is
    'BEFORE UPDATE OF plan trigger of tenants: a changed plan needs tenant:plan.';

create trigger tenants_plan_guard
    before update of plan on sentinel.tenants
    for each row when (old.plan is distinct from new.plan)
    execute function sentinel.guard_tenant_plan();

-- A tenant reads the user rows of the members who accepted (active, or removed after having been
-- active), no longer of those it merely invited: an invitation of another tenant's user, written by
-- raw SQL, showed that user's row. Same signature, so the users policy keeps calling it.
create or replace function sentinel.is_current_tenant_member(p_user_id uuid) returns boolean
    language sql stable
    as $$
    select exists (select from sentinel.tenant_members
                   where tenant_id = sentinel.current_tenant_id() and user_id = p_user_id and status <> 'invited')
$$;
comment on function sentinel.is_current_tenant_member(uuid) is
    'Whether the user accepted membership of the current tenant (active or removed, not merely invited); false '
    'with no tenant set. The users table''s tenant_members_read policy calls it.';

-- The address an invitation went to, so that the tenant lists its pending invitations without
-- seeing the invited user's row.
alter table sentinel.tenant_members add column invited_email text;
alter table sentinel.tenant_members add constraint tenant_members_invited_email_format
    check (char_length(invited_email) <= 320 and invited_email ~ '^[^@[:space:]]+@[^@[:space:]]+$');
comment on column sentinel.tenant_members.invited_email is
    'The address the invitation was sent to, as the inviter wrote it; null for a member added by id.';
