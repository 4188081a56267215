-- Helpers that every later migration calls, Sentinel's and a downstream service's alike: the
-- row-level security of a tenant table and of a global table, the ciphertext format of secret
-- columns, and the trigger that makes a table append-only. Defined once so that every table gets
-- exactly the same policies and checks.

-- The two policies of every tenant table, exactly as on sentinel.tenants but comparing tenant_id:
-- fail closed (no tenant set, no rows; a comparison with null is never true) and the named
-- system-scope clause. FORCE makes the owner obey them too.
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
                   ' using (tenant_id = (select sentinel.current_tenant_id()))'
                   ' with check (tenant_id = (select sentinel.current_tenant_id()))', target);
    execute format('create policy system_scope on %s'
                   ' using ((select sentinel.in_system_scope()))'
                   ' with check ((select sentinel.in_system_scope()))', target);
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
                   ' using ((select sentinel.in_system_scope()))'
                   ' with check ((select sentinel.in_system_scope()))', target);
end
$$;
comment on function sentinel.enable_system_rls(regclass) is
    'Enables and forces row-level security on a global table with a single system_scope policy: only '
    'the system scope reads or writes it. Add a narrower SELECT policy where tenants may read.';

-- The helpers run DDL; only the owner (who owns the tables) has any use for them.
revoke execute on function sentinel.enable_tenant_rls(regclass) from public;
revoke execute on function sentinel.enable_system_rls(regclass) from public;

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

-- Append-only tables (the audit logs, later the audit chain) reject every UPDATE, DELETE and
-- TRUNCATE, whatever the role: triggers fire for the owner and for superusers too, unlike grants.
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
