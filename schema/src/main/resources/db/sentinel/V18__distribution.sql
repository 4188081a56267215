-- Distribution: sentinel.distribute places a table on a Citus cluster as it is created, and the
-- kernel's tables, created by V2..V9 while the helper was still a no-op, are placed now. On plain
-- PostgreSQL (no citus extension) every statement here is a no-op, so the same migrations run on
-- both. A tenant table (one with tenant_id) is distributed by tenant_id, in the one colocation group
-- of uuid-distributed tables, so that a tenant's rows of every table sit on one node and a statement
-- that names its tenant_id is routed to one shard; a global table (tenants included: its slug is
-- unique across tenants, which a distributed table could not enforce) becomes a reference table,
-- copied to every node.

-- True in a database where the citus extension is installed and this node is its coordinator.
-- Citus's own functions are called only when the extension is there (PL/pgSQL resolves names when
-- a statement first runs), so the function works on plain PostgreSQL too.
create function sentinel.on_citus_coordinator() returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not exists (select from pg_extension where extname = 'citus') then
        return false;
    end if;
    return citus_is_coordinator();
end
$$;
comment on function sentinel.on_citus_coordinator() is
    'True on the coordinator of a Citus cluster (the citus extension is installed); false on plain PostgreSQL.';

-- Which tables the helper placed, on plain PostgreSQL too: the schema linter checks that every
-- table of a migration was placed (rule not-distributed), so a service whose build runs on plain
-- PostgreSQL learns that a table would stay local on a cluster before it meets one.
create table sentinel.table_placements (
    relation  text        not null,
    placement text        not null,
    placed_at timestamptz not null default now(),
    constraint table_placements_pkey primary key (relation),
    constraint table_placements_placement_check check (placement in ('distributed', 'reference'))
);
comment on table sentinel.table_placements is
    'The tables sentinel.distribute placed, on plain PostgreSQL too (where placing is a no-op): a tenant table is '
    'distributed by tenant_id, a global table is a reference table. The schema linter checks every table is here. '
    'sentinel:unaudited written only by migrations, through sentinel.distribute.';
comment on column sentinel.table_placements.relation is 'The table, schema-qualified, as it was named when placed.';
comment on column sentinel.table_placements.placement is
    'distributed (by tenant_id, in the one colocation group) or reference (a copy on every node). sentinel:enum TablePlacement';
comment on column sentinel.table_placements.placed_at is 'When the migration that placed it ran.';
select sentinel.enable_system_rls('sentinel.table_placements');
create policy readable on sentinel.table_placements for select using (true);
revoke insert, update, delete, truncate on sentinel.table_placements from ${sentinel_app_role};

create or replace function sentinel.distribute(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    tenant_table boolean := exists (select from pg_attribute
                                     where attrelid = target and attname = 'tenant_id' and not attisdropped);
    scope        text := current_setting('sentinel.scope', true);
    citus        boolean := sentinel.on_citus_coordinator();
begin
    -- The record is written in the system scope (the table forces row-level security on its
    -- owner too), which ends with the insert: the migration goes on in the scope it had. SET
    -- LOCAL rather than set_config, and propagated, because on Citus the insert runs on the
    -- workers' copies of the table, which only a propagated SET LOCAL reaches.
    if citus then
        set local citus.propagate_set_commands = 'local';
    end if;
    set local sentinel.scope = 'system';
    insert into sentinel.table_placements (relation, placement)
    values (target::text, case when tenant_table then 'distributed' else 'reference' end)
    on conflict (relation) do nothing;
    execute format('set local sentinel.scope = %L', coalesce(scope, ''));
    if not citus then
        return; -- plain PostgreSQL: every table stays local
    end if;
    -- A reference table's audit rows are written by its placement on the coordinator (see
    -- sentinel.audits_here), so the coordinator must hold one.
    if not exists (select from pg_dist_node where groupid = 0) then
        raise exception 'the Citus coordinator is not in the cluster''s metadata, so % cannot be placed', target
            using hint = 'Run select citus_set_coordinator_host(''<coordinator host>'', <port>) as a superuser first.';
    end if;
    -- Triggers (audit, updated_at, append-only) are created on the table after this call, in the
    -- same migration's transaction; Citus refuses them on a distributed table unless this is on.
    perform set_config('citus.enable_unsafe_triggers', 'on', true);
    if exists (select from pg_dist_partition where logicalrelid = target and (partmethod = 'h' or repmodel = 't')) then
        return; -- already distributed or a reference table
    end if;
    if tenant_table then
        -- colocate_with 'default': every uuid-distributed table with the default shard count shares one group.
        perform create_distributed_table(target, 'tenant_id', colocate_with => 'default');
    else
        perform create_reference_table(target);
    end if;
end
$$;
comment on function sentinel.distribute(regclass) is
    'Places a table on a Citus cluster as it is created: a tenant table (one with tenant_id) is distributed by '
    'tenant_id in the one colocation group of uuid-distributed tables, a global table becomes a reference table, '
    'and citus.enable_unsafe_triggers is turned on for the rest of the transaction so that its triggers can be '
    'created. A no-op on plain PostgreSQL. Call it right after the create table, before its triggers, policies '
    'and rows; the linter checks that every table of a migration does.';

-- On a cluster a reference table's row trigger fires once per placement, that is on every node.
-- The placement on the coordinator runs in the client's own backend, where Citus lets a trigger
-- write to a distributed table (the tenant's audit_log shard may sit on any worker); a worker's
-- placement runs inside a task, where it may not. So only the coordinator's placement writes the
-- audit row: one row per write, in the right trail. Always true off Citus and for other tables.
create function sentinel.audits_here(target regclass) returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not exists (select from pg_extension where extname = 'citus') then
        return true;
    end if;
    return citus_is_coordinator()
        or not exists (select from pg_dist_partition where logicalrelid = target and repmodel = 't');
end
$$;
comment on function sentinel.audits_here(regclass) is
    'WHEN condition of the audit trigger of a reference table on Citus: true on the coordinator''s placement, '
    'false on the workers'' copies, so that each write is audited once. True on plain PostgreSQL.';

-- The audit trigger, attached as V3's audit_table does, with one addition on a Citus cluster: a
-- reference table's trigger fires only where sentinel.audits_here says so. On plain PostgreSQL the
-- trigger is exactly V3's (no WHEN clause, nothing added to a write).
create or replace function sentinel.audit_table(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical_name  text;
    tenant_column text := '';
    secrets       text[];
    condition     text := '';
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
    if sentinel.on_citus_coordinator() then
        perform set_config('citus.enable_unsafe_triggers', 'on', true);
        if exists (select from pg_dist_partition where logicalrelid = target and repmodel = 't') then
            condition := format(' when (sentinel.audits_here(%L::regclass))', target::text);
        end if;
    end if;
    execute format('drop trigger if exists sentinel_audit on %s', target);
    execute format('create trigger sentinel_audit after insert or update or delete on %s'
                   ' for each row%s execute function sentinel.audit_row(%s)',
                   target, condition, (select string_agg(quote_literal(x), ', ')
                              from unnest(array[logical_name, tenant_column] || secrets) x));
end
$$;
comment on function sentinel.audit_table(regclass) is
    'Attaches the audit trigger sentinel_audit to a table (again, if present), with its logical name, its '
    'tenant column and its sentinel:secret columns; on Citus, a reference table''s trigger fires only on the '
    'coordinator''s placement. Call it in the migration that creates an audited table, after sentinel.distribute.';
revoke execute on function sentinel.audit_table(regclass) from public;

-- The two kernel functions that write a global row from a tenant scope step into the system scope
-- for that one write. They did it with set_config, which Citus never sends to the workers, so on a
-- cluster the workers' copies of users and resource_types refused the row. SET LOCAL, which the
-- runtime has Citus propagate (citus.propagate_set_commands = 'local'), reaches them; on plain
-- PostgreSQL the two are the same. Otherwise the functions are V4's and V6's.
create or replace function sentinel.find_or_create_user(p_id uuid, p_email text, p_display_name text) returns uuid
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    uuid;
begin
    set local sentinel.scope = 'system';
    select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    if found is null then
        insert into sentinel.users (id, email, display_name) values (p_id, p_email, p_display_name)
        on conflict do nothing;
        select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    end if;
    execute format('set local sentinel.scope = %L', coalesce(previous, ''));
    return found;
end
$$;

create or replace function sentinel.register_resource_type(p_key text, p_table regclass, p_description text) returns void
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
    if sentinel.on_citus_coordinator() then
        set local citus.propagate_set_commands = 'local'; -- migrations run without the runtime's setup
        perform set_config('citus.enable_unsafe_triggers', 'on', true);
    end if;
    set local sentinel.scope = 'system';
    -- p_table prints schema-qualified under this function's search_path.
    insert into sentinel.resource_types (key, table_name, description) values (p_key, p_table::text, p_description);
    execute format('set local sentinel.scope = %L', coalesce(previous, ''));
    execute format('create trigger %I after delete on %s for each row execute function sentinel.revoke_resource_grants(%L)',
                   (select relname from pg_class where oid = p_table) || '_revoke_resource_grants', p_table, p_key);
end
$$;

-- The users policy asks whether a user is a member of the current tenant (V5's SQL function). On
-- Citus that question is asked on a copy of users, a reference table: on the coordinator's copy, in
-- the client's backend, a one-shard query answers it; on a worker's copy, inside a task (a join of
-- tenant_members and users routed to the tenant's worker), Citus allows no distributed query, and
-- the tenant's shard of tenant_members is on that node, so it is read directly. Not on this node:
-- false (fail closed). PL/pgSQL, because Citus cannot plan a SQL function's parameters. Plain
-- PostgreSQL keeps V15's function (V5's, with invitations not counted); this one counts them out too.
do $do$
begin
    if not sentinel.on_citus_coordinator() then
        return;
    end if;
    execute $fn$
create or replace function sentinel.is_current_tenant_member(p_user_id uuid) returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    as $$
declare
    tenant uuid := sentinel.current_tenant_id();
    shard  regclass;
    found  boolean;
begin
    if tenant is null then
        return false;
    end if;
    if current_setting('application_name', true) not like 'citus_internal%' then
        return exists (select from sentinel.tenant_members
                       where tenant_id = tenant and user_id = p_user_id and status <> 'invited');
    end if;
    select to_regclass(format('sentinel.%I', 'tenant_members_' || shardid)) into shard
      from pg_dist_shard
     where shardid = get_shard_id_for_distribution_column('sentinel.tenant_members', tenant);
    if shard is null then
        return false;
    end if;
    execute format('select exists (select from %s where tenant_id = $1 and user_id = $2 and status <> ''invited'')', shard)
       into found using tenant, p_user_id;
    return found;
end
$$
    $fn$;
    -- V6's resource_exists, with two changes for Citus: the tenant is a parameter, so that the
    -- lookup is a one-shard router query (Citus cannot plan "select from" a distributed table
    -- filtered by a function call: "a column definition list is required"), and, like the
    -- functions below, it may run a query of its own when Citus has pushed the calling statement
    -- down to a worker.
    execute $fn$
create or replace function sentinel.resource_exists(p_type text, p_id uuid) returns boolean
    language plpgsql stable
    set search_path = pg_catalog, pg_temp
    set citus.allow_nested_distributed_execution = on
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
    execute format('select exists (select 1 from %s where tenant_id = $2 and id = $1%s)', target, live_filter)
       into found
      using p_id, sentinel.current_tenant_id();
    return found;
end
$$
    $fn$;
    -- V8's next_number, with updated_at taken from the inserted row: Citus refuses a function
    -- that is not immutable (now()) in the DO UPDATE SET of an insert into a distributed table.
    execute $fn$
create or replace function sentinel.next_number(p_series text, p_period text default '') returns bigint
    language plpgsql volatile
    security definer -- as V14 made it: counters move only through this function
    set search_path = pg_catalog, pg_temp
    as $$
declare
    tenant    uuid := sentinel.current_tenant_id();
    allocated bigint;
begin
    if tenant is null then
        raise exception 'numbering needs a tenant scope'
            using errcode = 'insufficient_privilege',
                  hint = 'Call sentinel.next_number in a transaction with sentinel.tenant_id set: counters belong to a tenant.';
    end if;
    insert into sentinel.number_counters as c (tenant_id, series, period, last_value, updated_at)
    values (tenant, p_series, p_period, 1, now())
    on conflict (tenant_id, series, period)
        do update set last_value = c.last_value + 1, updated_at = excluded.updated_at
    returning c.last_value into allocated;
    return allocated;
end
$$
    $fn$;
    -- Functions that read a table and that the runtime calls inside statements Citus pushes down
    -- to a worker (the permission checks join the grants, distributed, with the user's status,
    -- read from users, a reference table). Citus refuses a query inside such a task unless this is
    -- on; these read a reference table, whose copy on that node is current within the distributed
    -- transaction, or a shard of the calling statement's own tenant.
    alter function sentinel.user_is_active(uuid) set citus.allow_nested_distributed_execution = on;
    alter function sentinel.user_exists(uuid) set citus.allow_nested_distributed_execution = on;
end
$do$;

-- The chain orders a tenant's audit rows by (tx, seq) and seals only rows whose tx is below the
-- sealer's pg_snapshot_xmin. On Citus the default pg_current_xact_id() of a row inserted through the
-- coordinator (a reference table's audit row, a row the runtime writes) is the coordinator's
-- transaction id, while the sealer's snapshot is the worker's: the two do not compare. This
-- trigger fires on the shard, so tx is always the id of the transaction on the node that holds the
-- tenant's rows, which is the node whose snapshot the sealer reads. Attached on Citus only (below).
create function sentinel.audit_log_stamp_tx() returns trigger
    language plpgsql
    as $$
begin
    new.tx := pg_current_xact_id();
    return new;
end
$$;
comment on function sentinel.audit_log_stamp_tx() is
    'BEFORE INSERT row trigger of audit_log: tx is the writing transaction''s id on the node that stores the row '
    '(on Citus, the worker holding the tenant''s shard), the order the chain is sealed in.';


-- The kernel's tables, placed in the order they were created. Citus turns every table tied by a
-- foreign key to a new reference table into a Citus local table, so the foreign keys are dropped
-- first and re-added once every table is placed. Existing rows (the seeded roles and permissions)
-- are copied into the shards with the tables' triggers off (a copy is not a write to audit) and
-- without FORCE row-level security (Citus's copy is refused under it).
do $$
declare
    fk         record;
    t          regclass;
    saved_fks  text[] := '{}';
begin
    if not sentinel.on_citus_coordinator() then
        -- Plain PostgreSQL: only the record of each table.
        for t in select c.oid::regclass from pg_class c
                  where c.relnamespace = 'sentinel'::regnamespace and c.relkind = 'r'
                    and c.relname <> 'flyway_schema_history'
                  order by c.oid loop
            perform sentinel.distribute(t);
        end loop;
        return;
    end if;
    perform set_config('citus.enable_unsafe_triggers', 'on', true);
    for fk in select conrelid::regclass as tbl, conname, pg_get_constraintdef(oid) as def
                from pg_constraint
               where contype = 'f' and connamespace = 'sentinel'::regnamespace
               order by oid loop
        saved_fks := saved_fks || format('alter table %s add constraint %I %s', fk.tbl, fk.conname, fk.def);
        execute format('alter table %s drop constraint %I', fk.tbl, fk.conname);
    end loop;
    for t in select c.oid::regclass from pg_class c
              where c.relnamespace = 'sentinel'::regnamespace and c.relkind = 'r'
                and c.relname <> 'flyway_schema_history'
              order by c.oid loop
        execute format('alter table %s disable trigger user', t);
        execute format('alter table %s no force row level security', t);
        perform sentinel.distribute(t);
        -- The rows now live in the shards; the coordinator's copy would only take space.
        perform truncate_local_data_after_distributing_table(t);
        execute format('alter table %s enable trigger user', t);
        execute format('alter table %s force row level security', t);
    end loop;
    for i in 1 .. coalesce(array_length(saved_fks, 1), 0) loop
        execute saved_fks[i];
    end loop;
    -- The sealer hashes each row with audit_canonical on the worker that holds it; Citus copies a
    -- function whose argument is a table's row type to the workers only when asked.
    perform create_distributed_function('sentinel.audit_canonical(sentinel.audit_log)');
    -- On a cluster only: on plain PostgreSQL the column's default is already the writing
    -- transaction's id, and the chain's tamper tests model an owner who backdates tx.
    create trigger audit_log_stamp_tx
        before insert on sentinel.audit_log
        for each row execute function sentinel.audit_log_stamp_tx();
    -- The enqueue notification (V7) fires on the worker that holds the job's shard, where no
    -- listener hears it, and a transaction that executed NOTIFY cannot be prepared, which fails
    -- every commit that also wrote another node. Off on Citus: the workers poll (JobWorkers'
    -- pollInterval) until the job queue sends its wake-up from the coordinator.
    alter table sentinel.jobs disable trigger jobs_notify_enqueued;
    -- Re-attach the audit triggers, so that the reference tables' get their WHEN condition.
    for t in select distinct tgrelid::regclass from pg_trigger
              where tgname = 'sentinel_audit' and not tgisinternal order by 1 loop
        perform sentinel.audit_table(t);
    end loop;
end
$$;

