-- The audit row's actor and the trigger's entity id without regular expressions (issue 24).
--
-- Measured on the server (DO blocks, docs/decisions.md has the figures): a match of the uuid
-- pattern costs more than twice the LIKE and translate below, and every audit row ran four (three
-- in the actor columns' defaults, one in the trigger for the row's id).

-- Whether a text is a uuid in its canonical form, the form the actor setting and an id column
-- carry: the LIKE fixes 36 characters with dashes at 9, 14, 19 and 24, the translate that all
-- others are hex digits of either case (no other character may be left, not even a fifth dash).
-- The same strings as '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'.
-- One SELECT of an expression, without FROM, so the planner inlines it into the functions below,
-- which stay inlinable.
create function sentinel.is_uuid_text(value text) returns boolean
    language sql immutable parallel safe
    as $$
    select value like '________-____-____-____-____________'
       and pg_catalog.translate(value, '0123456789abcdefABCDEF', '') = '----'
$$;
comment on function sentinel.is_uuid_text(text) is
    'True when the text is a uuid in canonical form (8-4-4-4-12 hex digits of either case), null for null: '
    'the test of the audit row''s actor defaults and of the audit trigger''s entity id, without a regular expression.';

-- V10's three actor functions, same names and results, the uuid test by sentinel.is_uuid_text.
create or replace function sentinel.current_actor_type() returns text
    language sql stable parallel safe
    as $$
    select case when pg_catalog.current_setting('sentinel.actor_id', true) is null
                  or pg_catalog.current_setting('sentinel.actor_id', true) = ''
                then case when pg_catalog.current_setting('sentinel.scope', true) = 'system' then 'system' else 'anonymous' end
                when pg_catalog.current_setting('sentinel.actor_id', true) like 'service:%' then 'service'
                when sentinel.is_uuid_text(pg_catalog.current_setting('sentinel.actor_id', true)) then 'user'
                else 'anonymous' end
$$;

-- The cast is of the CASE's result, so that no branch casts text that is not a uuid: on a Citus
-- cluster, V10's form (the cast inside the branch) failed for a service actor with "invalid input
-- syntax for type uuid", which suggests that the branch not taken was evaluated there.
create or replace function sentinel.current_actor_id() returns uuid
    language sql stable parallel safe
    as $$
    select (case when sentinel.is_uuid_text(pg_catalog.current_setting('sentinel.actor_id', true))
                 then pg_catalog.current_setting('sentinel.actor_id', true) end)::uuid
$$;

create or replace function sentinel.current_actor_label() returns text
    language sql stable parallel safe
    as $$
    select case when pg_catalog.current_setting('sentinel.actor_id', true) like 'service:%'
                then pg_catalog.substr(pg_catalog.current_setting('sentinel.actor_id', true), 9)
                when sentinel.is_uuid_text(pg_catalog.current_setting('sentinel.actor_id', true)) then null
                else pg_catalog.left(nullif(pg_catalog.current_setting('sentinel.actor_id', true), ''), 200) end
$$;

-- V10's trigger function, the row's id tested by sentinel.is_uuid_text. One audit row per changed
-- row; see V3 for the arguments and the routing to the two trails.
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
    if sentinel.is_uuid_text(row_data ->> 'id') then
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
