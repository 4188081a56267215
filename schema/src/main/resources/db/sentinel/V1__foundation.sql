-- Foundation: the tenant-scope functions that every row-level security policy calls, the grants
-- that make the application role work, and the helpers that every later migration calls,
-- Sentinel's and a downstream service's alike: the row-level security of a tenant table and of a
-- global table, the placement of a table on a cluster, the ciphertext format of secret columns,
-- and the trigger that makes a table append-only. Defined once so that every table gets exactly
-- the same policies and checks.
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

-- The two policies of every tenant table: fail closed (no tenant set, no rows; a comparison with
-- null is never true) and the named system-scope clause. FORCE makes the owner obey them too, so
-- owner-run data migrations must enter the system scope explicitly. The expressions call the scope
-- functions directly, with no subquery: Citus refuses a policy that contains one.
create function sentinel.enable_tenant_rls(target regclass) returns void
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
    execute format('create policy system_scope on %s'
                   ' using (sentinel.in_system_scope())'
                   ' with check (sentinel.in_system_scope())', target);
end
$$;
comment on function sentinel.enable_tenant_rls(regclass) is
    'Enables and forces row-level security on a tenant table and creates its two policies: tenant_scope '
    '(tenant_id equals the current tenant, in USING and WITH CHECK; no tenant set means no rows) and '
    'system_scope (every row, only inside the system scope). Call it in the migration that creates the table.';

-- Global tables hold no tenant rows. By default only the system scope sees or writes them; a table
-- that tenants may read (roles, users through membership) adds its own SELECT policy afterwards.
create function sentinel.enable_system_rls(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    execute format('alter table %s enable row level security, force row level security', target);
    execute format('create policy system_scope on %s'
                   ' using (sentinel.in_system_scope())'
                   ' with check (sentinel.in_system_scope())', target);
end
$$;
comment on function sentinel.enable_system_rls(regclass) is
    'Enables and forces row-level security on a global table with a single system_scope policy: only '
    'the system scope reads or writes it. Add a narrower SELECT policy where tenants may read.';

-- Where a table lives on a cluster is decided once, as it is created: every migration calls this
-- right after its create table, so that the placement needs no second list of tables to keep in step.
create function sentinel.distribute(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    -- Nothing to do on plain PostgreSQL: every table is local. The Citus issue fills this in.
    null;
end
$$;
comment on function sentinel.distribute(regclass) is
    'The hook that will place a table on a Citus cluster as it is created: a tenant table (one with tenant_id) '
    'distributed by tenant_id, a global table as a reference table. Today it does nothing, on plain PostgreSQL '
    'and elsewhere: the Citus issue fills it in. Call it right after the create table.';

-- The helpers run DDL; only the owner (who owns the tables) has any use for them.
revoke execute on function sentinel.enable_tenant_rls(regclass) from public;
revoke execute on function sentinel.enable_system_rls(regclass) from public;
revoke execute on function sentinel.distribute(regclass) from public;

-- Ciphertext of a column commented 'sentinel:secret' (format sv1, see docs/decisions.md):
--   sv1:<key id>:<base64url without padding of nonce (12 bytes) || ciphertext || GCM tag (16 bytes)>
-- AES-256-GCM with associated data binding schema.table, column, tenant and row id. A CHECK with this
-- function makes a raw write of clear text fail; 38 characters encode the 28 bytes of an empty secret.
create function sentinel.is_secret_ciphertext(value text) returns boolean
    language sql immutable parallel safe
    as $$ select value ~ '^sv1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9_-]{38,}$' $$;
comment on function sentinel.is_secret_ciphertext(text) is
    'True if the value has the sealed-secret format sv1:<key id>:<base64url payload>; null for null. '
    'Every sentinel:secret column has a CHECK that calls it.';

-- Append-only tables (the audit logs, the audit chain) reject every UPDATE, DELETE and TRUNCATE,
-- whatever the role: triggers fire for the owner and for superusers too, unlike grants.
create function sentinel.reject_modification() returns trigger
    language plpgsql
    as $$
begin
    raise exception '%.% is append-only: % is not allowed', tg_table_schema, tg_table_name, tg_op
        using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name,
              hint = 'Write a new row that corrects or supersedes the old one.';
end
$$;
comment on function sentinel.reject_modification() is
    'BEFORE UPDATE/DELETE/TRUNCATE statement trigger function of append-only tables: always raises '
    'restrict_violation (SQLSTATE 23001).';
