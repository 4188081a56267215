-- Inserts audited a statement at a time (issue 24): a statement that inserts many rows (a
-- repository's insertAll, an insert ... select) wrote their audit rows one by one, a PL/pgSQL call,
-- a diff query and a single-row insert per row. Measured (docs/decisions.md): 100 rows took three
-- times as long on the server as with one statement-level trigger over the statement's transition
-- table, which writes them in one insert ... select and costs a single-row insert what the row
-- trigger cost.
--
-- The audit trigger becomes two, both calling sentinel.audit_row with the same arguments:
-- sentinel_audit, AFTER UPDATE OR DELETE FOR EACH ROW (an update's diff pairs the old and the new
-- row), and sentinel_audit_insert, AFTER INSERT REFERENCING NEW TABLE AS sentinel_inserted FOR EACH
-- STATEMENT. A Citus cluster, a partitioned table and a partition keep the one row trigger on all
-- three events, as before: Citus runs only row triggers on distributed tables, and a statement
-- trigger of a partitioned table does not fire for an insert straight into a partition.

-- V23's function, which now also serves the statement-level trigger.
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
    scope_tenant uuid;
begin
    -- An insert's rows, all in one statement (the statement-level trigger sentinel_audit_insert,
    -- whose transition table is sentinel_inserted): the same audit row per row as below, the
    -- diff of each row's non-null columns, secrets redacted; a global row goes to the scope's
    -- tenant trail, or in the system scope to the system trail, as below.
    if tg_level = 'STATEMENT' then
        scope_tenant := sentinel.current_tenant_id();
        if tenant_col <> '' or scope_tenant is not null then
            insert into sentinel.audit_log (tenant_id, id, action, entity_type, entity_id, diff, meta, request_id)
            select case when tenant_col <> '' then (i.row_data ->> tenant_col)::uuid else scope_tenant end,
                   gen_random_uuid(), 'insert', logical,
                   case when sentinel.is_uuid_text(i.row_data ->> 'id') then (i.row_data ->> 'id')::uuid end,
                   (select coalesce(jsonb_object_agg(n.key, jsonb_build_object('new', case when n.key = any(secrets)
                               then '"[redacted]"'::jsonb else n.value end)), '{}'::jsonb)
                      from jsonb_each(i.row_data) n
                     where n.value <> 'null'),
                   case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                   nullif(current_setting('sentinel.request_id', true), '')
              from (select to_jsonb(inserted) as row_data from sentinel_inserted inserted) i;
        else
            insert into sentinel.system_audit_log (id, action, entity_type, entity_id, diff, meta, request_id)
            select gen_random_uuid(), 'insert', logical,
                   case when sentinel.is_uuid_text(i.row_data ->> 'id') then (i.row_data ->> 'id')::uuid end,
                   (select coalesce(jsonb_object_agg(n.key, jsonb_build_object('new', case when n.key = any(secrets)
                               then '"[redacted]"'::jsonb else n.value end)), '{}'::jsonb)
                      from jsonb_each(i.row_data) n
                     where n.value <> 'null'),
                   case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                   nullif(current_setting('sentinel.request_id', true), '')
              from (select to_jsonb(inserted) as row_data from sentinel_inserted inserted) i;
        end if;
        return null;
    end if;

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
    'AFTER INSERT/UPDATE/DELETE trigger of audited tables: writes one audit row per changed row with actor, action '
    '(insert, update, delete, soft_delete, restore, purge), entity and a diff of the changed columns, secrets '
    'redacted; seq, tx, occurred_at and the actor are the audit row''s column defaults. As a row trigger it audits '
    'one row; as the statement-level INSERT trigger sentinel_audit_insert, every row of its transition table '
    'sentinel_inserted. Arguments: logical table name (entity_type), tenant column or '''', secret columns. '
    'Attach it with sentinel.audit_table(regclass).';

-- V18's audit_table, attaching the pair (on Citus, and for a partitioned table or a partition, the
-- one row trigger as before). It drops both names first, so calling it again re-attaches.
create or replace function sentinel.audit_table(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical_name  text;
    tenant_column text := '';
    secrets       text[];
    condition     text := '';
    arguments     text;
begin
    select case when n.nspname = 'sentinel' then c.relname::text else n.nspname || '.' || c.relname end
      into logical_name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where c.oid = target;
    if exists (select from pg_attribute where attrelid = target and attname = 'tenant_id' and not attisdropped) then
        tenant_column := 'tenant_id';
    elsif target = 'sentinel.tenants'::regclass then
        tenant_column := 'id';
    end if;
    select coalesce(array_agg(a.attname::text order by a.attnum), '{}')
      into secrets
      from pg_attribute a
      join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
     where a.attrelid = target and a.attnum > 0 and not a.attisdropped and d.description like 'sentinel:secret%';
    arguments := (select string_agg(quote_literal(x), ', ') from unnest(array[logical_name, tenant_column] || secrets) x);
    execute format('drop trigger if exists sentinel_audit on %s', target);
    execute format('drop trigger if exists sentinel_audit_insert on %s', target);
    if sentinel.on_citus_coordinator() then
        perform set_config('citus.enable_unsafe_triggers', 'on', true);
        if exists (select from pg_dist_partition where logicalrelid = target and repmodel = 't') then
            condition := format(' when (sentinel.audits_here(%L::regclass))', target::text);
        end if;
    end if;
    if sentinel.on_citus_coordinator()
            or not exists (select from pg_class where oid = target and relkind = 'r' and not relispartition) then
        execute format('create trigger sentinel_audit after insert or update or delete on %s'
                       ' for each row%s execute function sentinel.audit_row(%s)', target, condition, arguments);
    else
        execute format('create trigger sentinel_audit after update or delete on %s'
                       ' for each row execute function sentinel.audit_row(%s)', target, arguments);
        execute format('create trigger sentinel_audit_insert after insert on %s referencing new table as sentinel_inserted'
                       ' for each statement execute function sentinel.audit_row(%s)', target, arguments);
    end if;
end
$$;
comment on function sentinel.audit_table(regclass) is
    'Attaches the audit triggers to a table (again, if present), with its logical name, its tenant column and its '
    'sentinel:secret columns: sentinel_audit after update or delete for each row, and sentinel_audit_insert after '
    'insert for each statement over the transition table sentinel_inserted; on Citus, and for a partitioned table '
    'or a partition, the one row trigger sentinel_audit after insert, update or delete (on Citus, a reference '
    'table''s fires only on the coordinator''s placement). Call it in the migration that creates an audited table, '
    'after sentinel.distribute.';
revoke execute on function sentinel.audit_table(regclass) from public;

-- The tables audited so far get the pair, with the arguments their trigger has now (a stale trigger
-- stays as stale as it was, for the linter to report). Off Citus only, and only tables this role
-- owns (a trigger is its table owner's to replace); the others keep the row trigger, which still
-- audits inserts, one row at a time.
do $$
declare
    audited record;
begin
    if sentinel.on_citus_coordinator() then
        return;
    end if;
    for audited in
        select t.tgrelid::regclass as target, substring(pg_get_triggerdef(t.oid) from 'EXECUTE FUNCTION .*$') as call
          from pg_trigger t
          join pg_class c on c.oid = t.tgrelid
         where t.tgname = 'sentinel_audit' and t.tgfoid = 'sentinel.audit_row'::regproc and not t.tgisinternal
           and c.relkind = 'r' and not c.relispartition and pg_has_role(c.relowner, 'MEMBER')
    loop
        execute format('drop trigger sentinel_audit on %s', audited.target);
        execute format('create trigger sentinel_audit after update or delete on %s for each row %s',
                       audited.target, audited.call);
        execute format('create trigger sentinel_audit_insert after insert on %s referencing new table as sentinel_inserted'
                       ' for each statement %s', audited.target, audited.call);
    end loop;
end
$$;
