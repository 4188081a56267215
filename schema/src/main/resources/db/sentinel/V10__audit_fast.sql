-- A cheaper audit trigger, and audit rows whose own columns the database sets (issues 23 and 24).
--
-- Measured on the server (bench/ServerBreakdown, DO blocks, docs/decisions.md has the figures): V3's
-- trigger spent most of its time not in building the diff but in its structure: a second pass over
-- the keys with two lookups each, the foreign key check of every audit row (an SPI query and a
-- FOR KEY SHARE lock on the tenant's row), and per-row function calls for settings. This version
--   * builds the diff in one pass over jsonb_each of the new row (one lookup of the old value each);
--   * leaves the actor columns to their defaults, inlinable SQL functions of the settings (no
--     PL/pgSQL statement per setting);
--   * drops the audit row's foreign key to tenants, replaced by a delete guard on tenants (a tenant
--     is never deleted while it has a trail, as before, paid on the rare delete, not on every write);
--   * names only the audit row's content columns, the ones the application role may still insert
--     (below); it runs as the writing role, as before, so a superuser's write is audited as before.
-- Same arguments and name as V3's sentinel.audit_row, so every attached trigger, downstream ones
-- included, uses it without being attached again, and the linter's checks stay as they are.

-- Who acts, from the transaction's settings: sentinel.actor_id holds a user's id, 'service:<name>',
-- or anything else (a raw client's label); none means the system in the system scope and anonymous
-- elsewhere. Each is one SELECT of an expression, without FROM or SET options, so the planner inlines
-- it into the statement that uses it: they are the defaults of the audit rows' actor columns (below),
-- at no function call. (A FROM clause in the body stops the inlining: measured, it tripled the cost
-- of an audit row.)
create function sentinel.current_actor_type() returns text
    language sql stable parallel safe
    as $$
    select case when pg_catalog.current_setting('sentinel.actor_id', true) is null
                  or pg_catalog.current_setting('sentinel.actor_id', true) = ''
                then case when pg_catalog.current_setting('sentinel.scope', true) = 'system' then 'system' else 'anonymous' end
                when pg_catalog.current_setting('sentinel.actor_id', true) like 'service:%' then 'service'
                when pg_catalog.current_setting('sentinel.actor_id', true)
                     ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then 'user'
                else 'anonymous' end
$$;
comment on function sentinel.current_actor_type() is
    'The actor_type that audit rows of this transaction record: user, service, system or anonymous, from sentinel.actor_id and sentinel.scope.';

create function sentinel.current_actor_id() returns uuid
    language sql stable parallel safe
    as $$
    select case when pg_catalog.current_setting('sentinel.actor_id', true)
                     ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                then pg_catalog.current_setting('sentinel.actor_id', true)::uuid end
$$;
comment on function sentinel.current_actor_id() is
    'The acting user''s id that audit rows of this transaction record (sentinel.actor_id when it is a uuid), or null.';

create function sentinel.current_actor_label() returns text
    language sql stable parallel safe
    as $$
    select case when pg_catalog.current_setting('sentinel.actor_id', true) like 'service:%'
                then pg_catalog.substr(pg_catalog.current_setting('sentinel.actor_id', true), 9)
                when pg_catalog.current_setting('sentinel.actor_id', true)
                     ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then null
                else pg_catalog.left(nullif(pg_catalog.current_setting('sentinel.actor_id', true), ''), 200) end
$$;
comment on function sentinel.current_actor_label() is
    'The actor_label that audit rows of this transaction record: a service''s name, a raw client''s label, or null.';

-- The audit row's own columns are the database's, whatever an INSERT says (issue 23: the
-- application role could write a custom entry under another user's name, or with a tx in the
-- future that the sealer never reaches, so that verify never saw it). The application role may
-- insert only the content columns; seq (identity), tx, occurred_at and the actor columns take
-- their defaults. Column privileges cost the insert nothing, where a BEFORE trigger that rewrote
-- the columns cost about 20 us per row (measured, docs/decisions.md).
alter table sentinel.audit_log
    alter column actor_type set default sentinel.current_actor_type(),
    alter column actor_id set default sentinel.current_actor_id(),
    alter column actor_label set default sentinel.current_actor_label();
alter table sentinel.system_audit_log
    alter column actor_type set default sentinel.current_actor_type(),
    alter column actor_id set default sentinel.current_actor_id(),
    alter column actor_label set default sentinel.current_actor_label();
revoke insert on sentinel.audit_log, sentinel.system_audit_log from ${sentinel_app_role};
grant insert (tenant_id, id, action, level, entity_type, entity_id, message, diff, meta, request_id)
    on sentinel.audit_log to ${sentinel_app_role};
grant insert (id, action, level, entity_type, entity_id, message, diff, meta, request_id)
    on sentinel.system_audit_log to ${sentinel_app_role};

-- One audit row per changed row; see V3 for the arguments and the routing to the two trails.
create or replace function sentinel.audit_row() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical    text := tg_argv[0];
    tenant_col text := tg_argv[1];
    secrets    text[] := tg_argv[2:];
    row_data   jsonb;
    old_row    jsonb;
    changes    jsonb;
    verb       text;
    tenant     uuid;
    entity     uuid;
begin
    -- The changed columns only (for an insert the non-null ones, for a delete the old non-null
    -- ones), secrets redacted, in one pass over the row's columns.
    if tg_op = 'UPDATE' then
        row_data := to_jsonb(new);
        old_row := to_jsonb(old);
        select jsonb_object_agg(n.key, case
                   when n.key = any(secrets) then jsonb_build_object(
                       'old', case when old_row -> n.key = 'null' then 'null'::jsonb else '"[redacted]"'::jsonb end,
                       'new', case when n.value = 'null' then 'null'::jsonb else '"[redacted]"'::jsonb end)
                   else jsonb_build_object('old', old_row -> n.key, 'new', n.value) end)
          into changes
          from jsonb_each(row_data) n
         where n.value <> old_row -> n.key;
        if changes is null then
            return null; -- nothing changed: nothing to audit
        end if;
        verb := 'update';
        if changes ? 'deleted_at' then
            verb := case when old_row -> 'deleted_at' = 'null' then 'soft_delete'
                         when row_data -> 'deleted_at' = 'null' then 'restore'
                         else 'update' end;
        end if;
    else
        if tg_op = 'INSERT' then
            row_data := to_jsonb(new);
            verb := 'insert';
        else
            row_data := to_jsonb(old);
            verb := case when row_data ? 'deleted_at' then 'purge' else 'delete' end;
        end if;
        select coalesce(jsonb_object_agg(key, jsonb_build_object(case when tg_op = 'INSERT' then 'new' else 'old' end,
                   case when key = any(secrets) then '"[redacted]"'::jsonb else value end)), '{}'::jsonb)
          into changes
          from jsonb_each(row_data)
         where value <> 'null';
    end if;

    -- A uuid id column is the entity; an id of another type is not (its key is in the diff).
    if row_data ->> 'id' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
        entity := (row_data ->> 'id')::uuid;
    end if;
    -- A tenant's row goes to its tenant's trail; a global row changed inside a tenant's scope goes
    -- to that tenant's trail; a global row changed in the system scope goes to the system trail.
    tenant := case when tenant_col <> '' then (row_data ->> tenant_col)::uuid else sentinel.current_tenant_id() end;

    if tenant is not null then
        insert into sentinel.audit_log (tenant_id, id, action, entity_type, entity_id, diff, meta, request_id)
        values (tenant, gen_random_uuid(), verb, logical, entity, changes,
                case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                nullif(current_setting('sentinel.request_id', true), ''));
    else
        insert into sentinel.system_audit_log (id, action, entity_type, entity_id, diff, meta, request_id)
        values (gen_random_uuid(), verb, logical, entity, changes,
                case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                nullif(current_setting('sentinel.request_id', true), ''));
    end if;
    return null;
end
$$;
comment on function sentinel.audit_row() is
    'AFTER INSERT/UPDATE/DELETE row trigger of audited tables: writes one audit row with actor, action '
    '(insert, update, delete, soft_delete, restore, purge), entity and a diff of the changed columns, '
    'secrets redacted; seq, tx, occurred_at and the actor are the audit row''s column defaults. '
    'Arguments: logical table name (entity_type), tenant column or '''', secret columns. '
    'Attach it with sentinel.audit_table(regclass).';


-- The foreign key from audit_log to tenants cost every audit row a query and a share lock on its
-- tenant's row. What it guarded, that a tenant with a trail is never deleted, is kept by a guard on
-- the rare delete instead, with the same SQLSTATE and constraint name.
alter table sentinel.audit_log drop constraint audit_log_tenant_fkey;

create function sentinel.keep_tenant_with_trail() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if exists (select from sentinel.audit_log where tenant_id = old.id) then
        raise exception 'tenant % has an audit trail and cannot be deleted', old.id
            using errcode = 'foreign_key_violation', schema = 'sentinel', table = 'audit_log',
                  constraint = 'audit_log_tenant_fkey',
                  hint = 'Soft delete the tenant instead; audit rows are never deleted.';
    end if;
    return old;
end
$$;
comment on function sentinel.keep_tenant_with_trail() is
    'BEFORE DELETE row trigger of tenants: refuses to delete a tenant that has audit rows (SQLSTATE 23503, '
    'constraint audit_log_tenant_fkey), as the foreign key it replaces did.';
create trigger tenants_keep_trail
    before delete on sentinel.tenants
    for each row execute function sentinel.keep_tenant_with_trail();
