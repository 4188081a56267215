-- Personal values that can be erased from a sealed audit trail (issue 28, erasure of a person).
--
-- The audit chain's HMAC covers every audit row's diff, so a value written into a diff can never
-- be removed without breaking verify; and the trigger runs in the database, away from the
-- service's keys, so it cannot encrypt either. A column commented sentinel:personal therefore
-- never reaches a diff: the diff holds a salted commitment to it instead,
--     {"email": {"old": {"sentinel:personal": "<hex>"}, "new": {"sentinel:personal": "<hex>"}}}
-- where <hex> is the hex SHA-256 of salt || the value's jsonb text in UTF-8, with a fresh random
-- 16-byte salt per value. The values and their salts sit in a side table, one row per audit row,
-- keyed by the audited table and the person's id, that erasure may delete. The person's id is the
-- row's uuid id column, or, in a link table without one (tenant_members), its uuid user_id. The
-- chain covers the commitments only, so deleting side rows leaves verify passing, and editing any
-- audit row is still detected. Without
-- its salt a commitment is 256 bits of noise: a guess of the value (an e-mail address) cannot be
-- checked against it. Reading the trail (sentinel.audit_reveal) puts the values back while they
-- exist, each checked against its commitment, and "[erased]" once they are gone.
--
-- Speed: only tables with personal columns get the new trigger function,
-- sentinel.audit_personal_row; every other table keeps sentinel.audit_row, untouched, so its
-- writes cost exactly what they cost before (docs/decisions.md has the measurements).

-- The values behind the commitments of tenant trails: one row per audit row that has any, so that
-- a write pays one more insert however many personal values it changes. Tenant table: the erasure of one person deletes the rows of
-- (tenant, table, person); reading the trail finds an audit row's values by the same key and its id.
create table sentinel.audit_personal_values (
    tenant_id   uuid  not null,
    entity_type text  not null,
    entity_id   uuid  not null,
    audit_id    uuid  not null,
    committed   jsonb not null,
    constraint audit_personal_values_pkey primary key (tenant_id, entity_type, entity_id, audit_id)
);
select sentinel.distribute('sentinel.audit_personal_values');

comment on table sentinel.audit_personal_values is
    'The values of sentinel:personal columns behind the commitments in the tenant''s audit diffs, with their salts, '
    'one row per audit row: erasure of a person deletes their rows here, which leaves the sealed trail verifiable. '
    'The application role may insert (the audit trigger does) and read, never update or delete. '
    'sentinel:unaudited it is part of the audit trail; an erasure is recorded in the system trail.';
comment on column sentinel.audit_personal_values.entity_type is 'The audited table''s logical name, as in the audit row.';
comment on column sentinel.audit_personal_values.entity_id is
    'The person whose values they are: the audited row''s id (its user_id in a table without id), as in the audit row.';
comment on column sentinel.audit_personal_values.audit_id is 'The audit row whose diff holds the commitments.';
comment on column sentinel.audit_personal_values.committed is
    'The committed values, as {"<commitment>": {"column": .., "salt": "<hex of 16 bytes>", "value": ..}}, where '
    'the commitment is the hex SHA-256 of salt || the value''s jsonb text (UTF-8), as the diff holds it under '
    '"sentinel:personal".';

select sentinel.enable_tenant_rls('sentinel.audit_personal_values');
revoke update, delete, truncate on sentinel.audit_personal_values from ${sentinel_app_role};

-- The same for the system trail (a global row changed in the system scope, such as a user's).
create table sentinel.system_audit_personal_values (
    entity_type text  not null,
    entity_id   uuid  not null,
    audit_id    uuid  not null,
    committed   jsonb not null,
    constraint system_audit_personal_values_pkey primary key (entity_type, entity_id, audit_id)
);
select sentinel.distribute('sentinel.system_audit_personal_values');

comment on table sentinel.system_audit_personal_values is
    'The values of sentinel:personal columns behind the commitments in the system trail''s diffs, with their salts; '
    'the same as audit_personal_values, for the system trail. '
    'sentinel:unaudited it is part of the audit trail; an erasure is recorded in the system trail.';
comment on column sentinel.system_audit_personal_values.entity_type is 'The audited table''s logical name, as in the audit row.';
comment on column sentinel.system_audit_personal_values.entity_id is
    'The person whose values they are: the audited row''s id (its user_id in a table without id), as in the audit row.';
comment on column sentinel.system_audit_personal_values.audit_id is 'The audit row whose diff holds the commitments.';
comment on column sentinel.system_audit_personal_values.committed is
    'The committed values, as {"<commitment>": {"column": .., "salt": "<hex>", "value": ..}}, as in audit_personal_values.';

select sentinel.enable_system_rls('sentinel.system_audit_personal_values');
revoke update, delete, truncate on sentinel.system_audit_personal_values from ${sentinel_app_role};


-- Replaces the personal columns of one audit row's diff by commitments and keeps their values in
-- the side table of the row's trail (the tenant's, or the system's when tenant is null), in one
-- row. A column entry keeps its shape ({"old": .., "new": ..}, or one of the two); a null side
-- stays null. The salt is the 16 bytes of a random uuid (122 random bits), so no extension is
-- needed.
create function sentinel.audit_personal_commit(changes jsonb, personal text[], tenant uuid, logical text,
                                               entity uuid, audit_id uuid) returns jsonb
    language plpgsql
    -- No SET search_path (it costs every call a configuration push and pop): every relation below
    -- is schema-qualified, and functions and operators resolve in pg_catalog first.
    as $$
declare
    committed_diff jsonb;
    kept           jsonb;
begin
    if not changes ?| personal then
        return changes;
    end if;
    with cells as materialized (
        select c.key as col, v.key as side, v.value,
               case when v.value <> 'null' then pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) end as salt
          from pg_catalog.jsonb_each(changes) c
         cross join lateral pg_catalog.jsonb_each(c.value) v
         where c.key = any(personal)
    ), sealed as materialized (
        select col, side, value, salt,
               case when salt is not null
                    then pg_catalog.encode(pg_catalog.sha256(salt || pg_catalog.convert_to(value::text, 'UTF8')), 'hex') end
                   as commitment
          from cells
    )
    select changes || (select pg_catalog.jsonb_object_agg(g.col, g.sides)
                         from (select col, pg_catalog.jsonb_object_agg(side, case when commitment is null then 'null'::jsonb
                                          else pg_catalog.jsonb_build_object('sentinel:personal', commitment) end) as sides
                                 from sealed
                                group by col) g),
           (select pg_catalog.jsonb_object_agg(commitment, pg_catalog.jsonb_build_object(
                       'column', col, 'salt', pg_catalog.encode(salt, 'hex'), 'value', value))
              from sealed
             where salt is not null)
      into committed_diff, kept;
    if kept is not null then
        if tenant is not null then
            insert into sentinel.audit_personal_values (tenant_id, entity_type, entity_id, audit_id, committed)
            values (tenant, logical, entity, audit_id, kept);
        else
            insert into sentinel.system_audit_personal_values (entity_type, entity_id, audit_id, committed)
            values (logical, entity, audit_id, kept);
        end if;
    end if;
    return committed_diff;
end
$$;
comment on function sentinel.audit_personal_commit(jsonb, text[], uuid, text, uuid, uuid) is
    'The audit diff with each value of a personal column replaced by {"sentinel:personal": hex SHA-256 of salt || '
    'value}, the values and salts kept in one row of audit_personal_values (tenant given) or '
    'system_audit_personal_values. '
    'Called by sentinel.audit_personal_row.';


-- The audit trigger of a table with personal columns: sentinel.audit_row (V24) with every diff
-- passed through sentinel.audit_personal_commit, in both forms (the statement-level insert
-- trigger and the row trigger), so the two write the same audit rows. Arguments: the logical
-- name, the tenant column ('' for a global table), the secret columns, then an empty string (no
-- column has an empty name), the person's id column (id, or user_id in a link table without id)
-- and the personal columns. The audit row's entity_id is the person's id, so that a link table's
-- rows are found by it too.
create function sentinel.audit_personal_row() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical    text := tg_argv[0];
    tenant_col text := tg_argv[1];
    separator  int := array_position(tg_argv, '', 2);
    secrets    text[] := tg_argv[2:separator - 1];
    person_col text := tg_argv[separator + 1];
    personal   text[] := tg_argv[separator + 2:];
    row_data   jsonb;
    old_row    jsonb;
    changes    jsonb;
    verb       text;
    tenant     uuid;
    entity     uuid;
    audit_id   uuid;
    scope_tenant uuid;
begin
    if tg_level = 'STATEMENT' then
        scope_tenant := sentinel.current_tenant_id();
        if tenant_col <> '' or scope_tenant is not null then
            -- Materialized, so that each row draws its audit id once.
            with inserted as materialized (
                select r.r_data, gen_random_uuid() as r_audit, r.r_ordinal,
                       case when tenant_col <> '' then (r.r_data ->> tenant_col)::uuid else scope_tenant end as r_tenant,
                       case when sentinel.is_uuid_text(r.r_data ->> person_col) then (r.r_data ->> person_col)::uuid end as r_entity
                  from (select to_jsonb(i) as r_data, row_number() over () as r_ordinal from sentinel_inserted i) r
            )
            insert into sentinel.audit_log (tenant_id, id, action, entity_type, entity_id, diff, meta, request_id)
            select i.r_tenant, i.r_audit, 'insert', logical, i.r_entity,
                   sentinel.audit_personal_commit(
                       (select coalesce(jsonb_object_agg(n.key, jsonb_build_object('new', case when n.key = any(secrets)
                                   then '"[redacted]"'::jsonb else n.value end)), '{}'::jsonb)
                          from jsonb_each(i.r_data) n
                         where n.value <> 'null'),
                       personal, i.r_tenant, logical, i.r_entity, i.r_audit),
                   case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                   nullif(current_setting('sentinel.request_id', true), '')
              from inserted i
             order by i.r_ordinal;
        else
            with inserted as materialized (
                select r.r_data, gen_random_uuid() as r_audit, r.r_ordinal,
                       case when sentinel.is_uuid_text(r.r_data ->> person_col) then (r.r_data ->> person_col)::uuid end as r_entity
                  from (select to_jsonb(i) as r_data, row_number() over () as r_ordinal from sentinel_inserted i) r
            )
            insert into sentinel.system_audit_log (id, action, entity_type, entity_id, diff, meta, request_id)
            select i.r_audit, 'insert', logical, i.r_entity,
                   sentinel.audit_personal_commit(
                       (select coalesce(jsonb_object_agg(n.key, jsonb_build_object('new', case when n.key = any(secrets)
                                   then '"[redacted]"'::jsonb else n.value end)), '{}'::jsonb)
                          from jsonb_each(i.r_data) n
                         where n.value <> 'null'),
                       personal, null, logical, i.r_entity, i.r_audit),
                   case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                   nullif(current_setting('sentinel.request_id', true), '')
              from inserted i
             order by i.r_ordinal;
        end if;
        return null;
    end if;

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

    if sentinel.is_uuid_text(row_data ->> person_col) then
        entity := (row_data ->> person_col)::uuid;
    end if;
    tenant := case when tenant_col <> '' then (row_data ->> tenant_col)::uuid else sentinel.current_tenant_id() end;
    audit_id := gen_random_uuid();
    changes := sentinel.audit_personal_commit(changes, personal, tenant, logical, entity, audit_id);

    if tenant is not null then
        insert into sentinel.audit_log (tenant_id, id, action, entity_type, entity_id, diff, meta, request_id)
        values (tenant, audit_id, verb, logical, entity, changes,
                case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                nullif(current_setting('sentinel.request_id', true), ''));
    else
        insert into sentinel.system_audit_log (id, action, entity_type, entity_id, diff, meta, request_id)
        values (audit_id, verb, logical, entity, changes,
                case when sentinel.in_system_scope() then '{"scope": "system"}'::jsonb else '{"scope": "tenant"}'::jsonb end,
                nullif(current_setting('sentinel.request_id', true), ''));
    end if;
    return null;
end
$$;
comment on function sentinel.audit_personal_row() is
    'The audit trigger function of tables with sentinel:personal columns: sentinel.audit_row, with the values of '
    'personal columns replaced in the diff by salted commitments whose values are kept in the side tables '
    '(sentinel.audit_personal_commit), and the person''s id as entity_id. Arguments: logical table name, tenant '
    'column or '''', secret columns, '''', the person''s id column (id or user_id), personal columns. Attached by '
    'sentinel.audit_table(regclass) when the table has personal columns.';


-- The column that names the person a row of a table with personal columns belongs to: its uuid id,
-- or in a link table without one (tenant_members) its uuid user_id; null if it has neither.
create function sentinel.person_column(target regclass) returns text
    language sql stable
    set search_path = pg_catalog, pg_temp
    as $$
    select a.attname::text
      from pg_attribute a
     where a.attrelid = target and a.attname in ('id', 'user_id') and not a.attisdropped and a.atttypid = 'uuid'::regtype
     order by a.attname = 'id' desc
     limit 1
$$;
comment on function sentinel.person_column(regclass) is
    'The uuid column that identifies the person of a row with sentinel:personal columns: id, or user_id in a table '
    'without id; null if neither. The audit trigger''s entity_id and erasure''s key.';


-- audit_table (V24's), which now also reads the sentinel:personal columns (the marker anywhere in
-- the column's comment, as a word) and attaches sentinel.audit_personal_row when there are any,
-- sentinel.audit_row otherwise: a table without personal columns gets exactly V24's triggers. A
-- column both secret and personal is redacted as a secret (the linter reports it as an error).
-- Erasure addresses a person by a uuid: the row's id, or in a link table without one its user_id
-- (sentinel.person_column), so a table with personal columns must have one of them.
create or replace function sentinel.audit_table(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical_name  text;
    tenant_column text := '';
    secrets       text[];
    personal      text[];
    condition     text := '';
    arguments     text;
    function_name text := 'sentinel.audit_row';
    person_column text;
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
    select coalesce(array_agg(a.attname::text order by a.attnum), '{}')
      into personal
      from pg_attribute a
      join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
     where a.attrelid = target and a.attnum > 0 and not a.attisdropped
       and d.description ~ '(^|\s)sentinel:personal(\s|$)' and a.attname::text <> all(secrets);
    arguments := (select string_agg(quote_literal(x), ', ') from unnest(array[logical_name, tenant_column] || secrets) x);
    if cardinality(personal) > 0 then
        person_column := sentinel.person_column(target);
        if person_column is null then
            raise exception '% has sentinel:personal columns but no uuid id (or user_id) column', target
                using errcode = 'invalid_table_definition',
                      hint = 'Erasure finds a person''s values by the row''s uuid id: give the table an id uuid column, '
                             'or do not mark its columns sentinel:personal.';
        end if;
        function_name := 'sentinel.audit_personal_row';
        arguments := arguments || ', '''', ' || quote_literal(person_column) || ', '
                     || (select string_agg(quote_literal(x), ', ') from unnest(personal) x);
    end if;
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
                       ' for each row%s execute function %s(%s)', target, condition, function_name, arguments);
    else
        execute format('create trigger sentinel_audit after update or delete on %s'
                       ' for each row execute function %s(%s)', target, function_name, arguments);
        execute format('create trigger sentinel_audit_insert after insert on %s referencing new table as sentinel_inserted'
                       ' for each statement execute function %s(%s)', target, function_name, arguments);
    end if;
end
$$;
comment on function sentinel.audit_table(regclass) is
    'Attaches the audit triggers to a table (again, if present), with its logical name, its tenant column, its '
    'sentinel:secret columns and its sentinel:personal columns: sentinel_audit after update or delete for each row, '
    'and sentinel_audit_insert after insert for each statement over the transition table sentinel_inserted; on '
    'Citus, and for a partitioned table or a partition, the one row trigger sentinel_audit after insert, update or '
    'delete. The function is sentinel.audit_personal_row when the table has personal columns, sentinel.audit_row '
    'otherwise. Call it in the migration that creates an audited table, after sentinel.distribute, and again after '
    'marking a column sentinel:secret or sentinel:personal.';
revoke execute on function sentinel.audit_table(regclass) from public;


-- A diff as a reader should see it: each commitment replaced by its value from the audit row's
-- side row (tenant given: in the tenant's side table; null: in the system's), when the value is
-- there and matches the commitment, and by "[erased]" otherwise. A caller that could insert side
-- rows (the application role can) cannot make a commitment show a value it does not commit to:
-- SHA-256 is checked. Diffs without a commitment are returned as they are, at the cost of one text
-- search. Runs as the caller, under the side tables' row-level security.
create function sentinel.audit_reveal(tenant uuid, entity_type text, entity_id uuid, audit_id uuid, diff jsonb)
    returns jsonb
    language sql stable
    set search_path = pg_catalog, pg_temp
    as $$
    select case
        when diff is null or entity_id is null or jsonb_typeof(diff) <> 'object'
             or strpos(diff::text, '"sentinel:personal"') = 0 then diff
        else (select jsonb_object_agg(c.key, case
                  when jsonb_typeof(c.value) <> 'object' then c.value
                  else (select jsonb_object_agg(s.key, case
                            when jsonb_typeof(s.value) = 'object' and s.value ? 'sentinel:personal' then coalesce(
                                (select e.value -> 'value'
                                   from jsonb_each(k.committed) e
                                  where e.key = s.value ->> 'sentinel:personal'
                                    and encode(sha256(decode(e.value ->> 'salt', 'hex')
                                                      || convert_to((e.value -> 'value')::text, 'UTF8')), 'hex') = e.key),
                                '"[erased]"'::jsonb)
                            else s.value end)
                          from jsonb_each(c.value) s)
                  end)
                from jsonb_each(diff) c,
                     (select case when tenant is not null then
                                 (select v.committed from sentinel.audit_personal_values v
                                   where v.tenant_id = tenant and v.entity_type = audit_reveal.entity_type
                                     and v.entity_id = audit_reveal.entity_id and v.audit_id = audit_reveal.audit_id)
                             else
                                 (select v.committed from sentinel.system_audit_personal_values v
                                   where v.entity_type = audit_reveal.entity_type and v.entity_id = audit_reveal.entity_id
                                     and v.audit_id = audit_reveal.audit_id)
                             end as committed) k)
    end
$$;
comment on function sentinel.audit_reveal(uuid, text, uuid, uuid, jsonb) is
    'An audit diff for reading: each {"sentinel:personal": commitment} replaced by the value it commits to, from the '
    'audit row''s row in audit_personal_values (tenant given) or system_audit_personal_values (tenant null), or by '
    '"[erased]" when the value has been erased. Arguments: the audit row''s tenant_id, entity_type, entity_id, id '
    'and diff. Runs under the caller''s row-level security.';


-- The erasure of one person: the row of a table with personal columns, found by its person column
-- (id, or user_id in a link table: one membership of a user). In the live row, each
-- personal column (generated ones recompute by themselves) becomes null, or where it is NOT NULL
-- the placeholder 'erased.<row id>@erased.invalid', which reads as erased, passes e-mail format
-- checks and is unique per row; then every side-table value of that row goes, in the tenant's
-- trail for a tenant table, in every trail for a global table (a user changed inside tenants'
-- scopes has values in their trails). The update is audited like any other; its own commitments
-- go with the rest. Bad input raises and writes nothing: 22023 (not a table with personal
-- columns, a tenant missing or given where it does not fit), P0002 (no such row in that tenant).
-- For the owner only (no grant), in the system scope, which the caller enters.
create function sentinel.erase_person(target regclass, tenant uuid, row_id uuid) returns jsonb
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical_name  text;
    tenant_table  boolean;
    personal      text[];
    assignments   text;
    live_values   int;
    trail_values  bigint;
    removed       bigint;
    key_condition text;
    person_column text;
begin
    if not sentinel.in_system_scope() then
        raise exception 'sentinel.erase_person runs in the system scope'
            using errcode = 'insufficient_privilege',
                  hint = 'Call it as the owner role after SET LOCAL sentinel.scope = ''system'' (dev.sentinel.core.lifecycle.Erasure does).';
    end if;
    if target is null then
        raise exception 'no such table' using errcode = 'invalid_parameter_value';
    end if;
    if row_id is null then
        raise exception 'the row id is null' using errcode = 'invalid_parameter_value';
    end if;
    select case when n.nspname = 'sentinel' then c.relname::text else n.nspname || '.' || c.relname end
      into logical_name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where c.oid = target;
    tenant_table := exists (select from pg_attribute where attrelid = target and attname = 'tenant_id' and not attisdropped);
    select array_agg(a.attname::text order by a.attnum),
           string_agg(format('%I = %s', a.attname, case when a.attnotnull
                                                       then quote_literal('erased.' || row_id || '@erased.invalid')
                                                       else 'null' end), ', ' order by a.attnum)
               filter (where a.attgenerated = '')
      into personal, assignments
      from pg_attribute a
      join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
     where a.attrelid = target and a.attnum > 0 and not a.attisdropped
       and d.description ~ '(^|\s)sentinel:personal(\s|$)' and d.description not like 'sentinel:secret%';
    if personal is null then
        raise exception '% has no sentinel:personal column: there is nothing to erase', logical_name
            using errcode = 'invalid_parameter_value',
                  hint = 'Erase a row of a table whose personal columns are commented sentinel:personal.';
    end if;
    if tenant_table and tenant is null then
        raise exception '% is a tenant table: name the tenant of the row', logical_name using errcode = 'invalid_parameter_value';
    end if;
    if not tenant_table and tenant is not null then
        raise exception '% is a global table: its rows belong to no tenant', logical_name
            using errcode = 'invalid_parameter_value', hint = 'Erase it as a global row, without a tenant.';
    end if;
    person_column := sentinel.person_column(target);
    if person_column is null then
        raise exception '% has no uuid id (or user_id) column to find the person by', logical_name
            using errcode = 'invalid_parameter_value';
    end if;
    key_condition := format(case when tenant_table then '%I = $1 and tenant_id = $2' else '%I = $1' end, person_column);
    execute format('select num_nonnulls(%s) from %s where %s',
                   (select string_agg(quote_ident(x), ', ') from unnest(personal) x), target, key_condition)
       into live_values using row_id, tenant;
    if live_values is null then
        raise exception 'no row % in % of tenant %', row_id, logical_name, coalesce(tenant::text, '(none: a global table)')
            using errcode = 'no_data_found';
    end if;
    if assignments is not null then
        execute format('update %s set %s where %s', target, assignments, key_condition) using row_id, tenant;
    end if;
    -- The number of values erased from the trails: the commitments in the deleted side rows.
    if tenant_table then
        with deleted as (
            delete from sentinel.audit_personal_values v
             where v.tenant_id = tenant and v.entity_type = logical_name and v.entity_id = row_id
            returning v.committed
        )
        select coalesce(sum((select count(*) from jsonb_object_keys(d.committed))), 0) into trail_values from deleted d;
    else
        -- A global row's values in every tenant's trail (changed in their scopes) and the system's.
        with deleted as (
            delete from sentinel.audit_personal_values v where v.entity_type = logical_name and v.entity_id = row_id
            returning v.committed
        )
        select coalesce(sum((select count(*) from jsonb_object_keys(d.committed))), 0) into trail_values from deleted d;
        with deleted as (
            delete from sentinel.system_audit_personal_values v where v.entity_type = logical_name and v.entity_id = row_id
            returning v.committed
        )
        select coalesce(sum((select count(*) from jsonb_object_keys(d.committed))), 0) into removed from deleted d;
        trail_values := trail_values + removed;
    end if;
    return jsonb_build_object('table', logical_name, 'columns', to_jsonb(personal),
                              'live_values', live_values, 'trail_values', trail_values);
end
$$;
comment on function sentinel.erase_person(regclass, uuid, uuid) is
    'Erases one person, the row of a table with sentinel:personal columns: its personal values in the live row '
    '(null, or the placeholder erased.<row id>@erased.invalid where NOT NULL) and every value of that row in the '
    'side tables of the trails. Returns {"table", "columns", "live_values", "trail_values"}. The owner''s only, in '
    'the system scope; dev.sentinel.core.lifecycle.Erasure calls it and records the erasure in the system trail.';
revoke execute on function sentinel.erase_person(regclass, uuid, uuid) from public;
