-- The system scope gets its own login role, ${sentinel_system_role}, and its own pool: the
-- system_scope policy of every table applies to that role and to the owner only, so the
-- application role (the tenant pool) has exactly one policy per tenant table, tenant_id =
-- sentinel.current_tenant_id(). The planner folds that single predicate into an index condition,
-- which closes the EXPLAIN oracle (an OR of the two policies left the attacker's own tenant_id = B
-- as the index condition and the policy as a filter whose "Rows Removed" answered yes or no), and
-- a raw "set local sentinel.scope = 'system'" sent by the tenant pool no longer opens anything.
-- The role bootstrap creates the role and makes it a member of the application role, so it holds
-- every privilege the application role is granted, here or in a service's own migrations.

do $check$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = '${sentinel_system_role}') then
        raise exception 'the system role ${sentinel_system_role} does not exist'
            using hint = 'Run the role bootstrap script again (dev.sentinel.schema.DatabaseBootstrap): it creates the '
                         'system scope''s role and makes it a member of ${sentinel_app_role}.';
    end if;
    if not pg_catalog.pg_has_role('${sentinel_system_role}', '${sentinel_app_role}', 'USAGE') then
        raise exception 'the system role ${sentinel_system_role} is not a member of ${sentinel_app_role}'
            using hint = 'Run the role bootstrap script again: GRANT ${sentinel_app_role} TO ${sentinel_system_role}.';
    end if;
end
$check$;

-- The scope setting alone no longer makes the system scope: the tenant pool's role may send any
-- setting through raw SQL. Triggers that let the system scope through (the authorization guards)
-- and the audit rows' scope now also ask who runs the statement: the system role, or the owner
-- (migrations, and the SECURITY DEFINER functions that step into the system scope for one lookup).
create or replace function sentinel.in_system_scope() returns boolean
    language sql stable parallel safe
    as $$
    select coalesce(current_setting('sentinel.scope', true) = 'system', false)
       and current_user::text in ('${sentinel_system_role}', '${sentinel_owner_role}')
$$;
comment on function sentinel.in_system_scope() is
    'True only inside the system scope (SET LOCAL sentinel.scope = ''system'') as the system role or the owner; '
    'the application role never is, whatever it sets.';

-- Every existing system_scope policy, the kernel's and those of module or service tables migrated
-- before this version, applies to the system role and the owner only.
do $policies$
declare
    p record;
begin
    for p in select format('%I.%I', n.nspname, c.relname) as target
               from pg_catalog.pg_policy pol
               join pg_catalog.pg_class c on c.oid = pol.polrelid
               join pg_catalog.pg_namespace n on n.oid = c.relnamespace
              where pol.polname = 'system_scope'
              order by 1
    loop
        execute format('alter policy system_scope on %s to ${sentinel_system_role}, ${sentinel_owner_role}', p.target);
    end loop;
end
$policies$;

-- Tables created from now on get the same: the helpers of V1, with the role named.
create or replace function sentinel.enable_tenant_rls(target regclass) returns void
    language plpgsql
    -- A fixed search_path makes target print schema-qualified in the statements below.
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not exists (select from pg_attribute
                   where attrelid = target and attname = 'tenant_id' and not attisdropped
                     and atttypid = 'uuid'::regtype and attnotnull) then
        raise exception '% has no tenant_id uuid not null column; it is not a tenant table', target
            using hint = 'A global table calls sentinel.enable_system_rls instead.';
    end if;
    execute format('alter table %s enable row level security, force row level security', target);
    execute format('create policy tenant_scope on %s'
                   ' using (tenant_id = sentinel.current_tenant_id())'
                   ' with check (tenant_id = sentinel.current_tenant_id())', target);
    execute format('create policy system_scope on %s to ${sentinel_system_role}, ${sentinel_owner_role}'
                   ' using (sentinel.in_system_scope())'
                   ' with check (sentinel.in_system_scope())', target);
end
$$;
comment on function sentinel.enable_tenant_rls(regclass) is
    'Enables and forces row-level security on a tenant table and creates its two policies: tenant_scope '
    '(tenant_id equals the current tenant, in USING and WITH CHECK; no tenant set means no rows), the only one '
    'the application role has, and system_scope (every row inside the system scope), for the system role and the '
    'owner only. Call it in the migration that creates the table.';

create or replace function sentinel.enable_system_rls(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    execute format('alter table %s enable row level security, force row level security', target);
    execute format('create policy system_scope on %s to ${sentinel_system_role}, ${sentinel_owner_role}'
                   ' using (sentinel.in_system_scope())'
                   ' with check (sentinel.in_system_scope())', target);
end
$$;
comment on function sentinel.enable_system_rls(regclass) is
    'Enables and forces row-level security on a global table with a single system_scope policy, for the system '
    'role and the owner: only the system scope reads or writes it. Add a narrower SELECT policy where tenants may read.';

-- The lookups that step into the system scope for one question run as the owner now: the
-- application role is no longer in the system scope's policy, whatever it sets.
alter function sentinel.user_is_active(uuid) security definer;

-- An invitation by address finds or creates the user; the id it returns no longer says which: a
-- new user's id is drawn here, not taken from the caller (who would see its own id come back
-- only when the address had no account). p_id is kept for the signature and ignored.
create or replace function sentinel.find_or_create_user(p_id uuid, p_email text, p_display_name text) returns uuid
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    uuid;
begin
    set local sentinel.scope = 'system';
    select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    if found is null then
        insert into sentinel.users (id, email, display_name) values (gen_random_uuid(), p_email, p_display_name)
        on conflict do nothing;
        select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    end if;
    execute format('set local sentinel.scope = %L', coalesce(previous, ''));
    return found;
end
$$;
comment on function sentinel.find_or_create_user(uuid, text, text) is
    'The id of the live user with this e-mail address (case-insensitive), created with a fresh id if there is '
    'none (p_id is ignored, so the answer does not say which). Used by invitations from a tenant scope.';

-- Whether a user exists answers, outside the system scope, only about users the tenant already
-- relates to: the acting user, a user with a membership row in the current tenant, or any user
-- when the actor is the service itself (whose onboarding adds known users by id). A tenant's user
-- learns nothing about the accounts of other tenants.
create or replace function sentinel.user_exists(p_id uuid) returns boolean
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
    as $$
declare
    caller_system boolean := coalesce(current_setting('sentinel.scope', true) = 'system', false)
                             and session_user::text in ('${sentinel_system_role}', '${sentinel_owner_role}');
    actor  text := coalesce(current_setting('sentinel.actor_id', true), '');
    tenant uuid := sentinel.current_tenant_id();
    previous text := current_setting('sentinel.scope', true);
    found    boolean;
begin
    if not caller_system and actor not like 'service:%' and actor <> p_id::text
       and not exists (select from sentinel.tenant_members where tenant_id = tenant and user_id = p_id) then
        return false;
    end if;
    set local sentinel.scope = 'system';
    select exists (select from sentinel.users where id = p_id and deleted_at is null) into found;
    execute format('set local sentinel.scope = %L', coalesce(previous, ''));
    return found;
end
$$;
comment on function sentinel.user_exists(uuid) is
    'Whether a live user has this id. Outside the system scope it answers only for the acting user, a user with '
    'a membership row in the current tenant, or a service actor; otherwise false.';

do $citus$
begin
    if sentinel.on_citus_coordinator() then
        alter function sentinel.user_exists(uuid) set citus.allow_nested_distributed_execution = on;
        alter function sentinel.find_or_create_user(uuid, text, text) set citus.allow_nested_distributed_execution = on;
    end if;
end
$citus$;

-- The credentials of a user are out of the tenant pool's reach: a tenant reads its accepted members'
-- rows, but not their password hash or MFA secret, whatever SQL it sends. The system role reads and
-- writes them (tx.users() in the system scope, sign-in through credentials()).
grant select, insert, update, delete on sentinel.users to ${sentinel_system_role};
-- The tenant pool has no policy that lets it write users; it keeps SELECT on the other columns.
revoke select, insert, update, delete on sentinel.users from ${sentinel_app_role};
do $columns$
declare
    readable text;
begin
    select string_agg(quote_ident(attname), ', ' order by attnum) into readable
      from pg_catalog.pg_attribute
     where attrelid = 'sentinel.users'::regclass and attnum > 0 and not attisdropped
       and attname not in ('password_hash', 'mfa_secret');
    execute format('grant select (%s) on sentinel.users to ${sentinel_app_role}', readable);
end
$columns$;

-- An index that the tenant's policy cannot lead leaks counts of other tenants' rows ("Rows Removed
-- by Filter" under an attacker's range on its first column). The running jobs' lease index leads
-- with tenant_id now; the rescuer's sweep across tenants scans this small partial index whole.
drop index sentinel.jobs_lease_idx;
create index jobs_lease_idx on sentinel.jobs (tenant_id, lease_expires_at) where state = 'running';
