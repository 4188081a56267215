-- Audit: the append-only trails, the trigger that writes them, and the sealed chain over them.
-- audit_log is a tenant table like any other (tenant_id not null), so a tenant never sees a global
-- row and the chain is per tenant; actions that concern no tenant (users, roles, platform keys,
-- sign-in) go to system_audit_log, a global table. Both reject UPDATE, DELETE and TRUNCATE for
-- every role, the owner and superusers included; the application role may only INSERT and SELECT.
--
-- A trigger on every audited table writes one audit row per changed row, in the same transaction,
-- reading the actor and request id from the transaction's settings. So raw SQL is audited like the
-- repositories, nothing is written twice, and no round trip is added. The sealed chain holds links
-- that a sealer outside the database appends, with an HMAC whose key the database never sees.

create table sentinel.audit_log (
    tenant_id   uuid        not null,
    id          uuid        not null,
    seq         bigint      generated always as identity,
    tx          xid8        not null default pg_current_xact_id(),
    occurred_at timestamptz not null default now(),
    actor_type  text        not null,
    actor_id    uuid,
    actor_label text,
    action      text        not null,
    level       text        not null default 'info',
    entity_type text,
    entity_id   uuid,
    message     text,
    diff        jsonb,
    meta        jsonb       not null default '{}'::jsonb,
    request_id  text,
    constraint audit_log_pkey primary key (tenant_id, id),
    -- Audit rows cannot be deleted, so a tenant with any cannot be removed either.
    constraint audit_log_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint audit_log_seq_key unique (tenant_id, seq),
    constraint audit_log_actor_type_check check (actor_type in ('user', 'api_key', 'service', 'system', 'anonymous')),
    constraint audit_log_action_format check (action ~ '^[a-z][a-z0-9_]*([.:][a-z][a-z0-9_]*)*$'),
    constraint audit_log_level_check check (level in ('info', 'warn', 'error')),
    constraint audit_log_entity_check check (entity_id is null or entity_type is not null),
    constraint audit_log_diff_object check (jsonb_typeof(diff) = 'object'),
    constraint audit_log_meta_object check (jsonb_typeof(meta) = 'object')
);
select sentinel.distribute('sentinel.audit_log');

comment on table sentinel.audit_log is
    'The tenant''s append-only audit trail: one row per audited action. UPDATE, DELETE and TRUNCATE are '
    'rejected for every role; the application role may only insert and read. '
    'sentinel:unaudited it is the audit trail itself.';
comment on column sentinel.audit_log.seq is
    'Insertion order, assigned by the database; increasing, but not gap-free and not commit order.';
-- The writing transaction's id orders the chain: the sealer seals only rows of transactions older
-- than every transaction still running (pg_snapshot_xmin), so no commit can land behind the head
-- it has sealed, and writers take no lock for it.
comment on column sentinel.audit_log.tx is
    'Id of the transaction that wrote the row. The chain is ordered by (tx, seq) and sealed only below the oldest running transaction.';
comment on column sentinel.audit_log.occurred_at is 'Time of the transaction that acted.';
comment on column sentinel.audit_log.actor_type is
    'Who acted: user, api_key, service, system or anonymous. sentinel:enum ActorType';
comment on column sentinel.audit_log.actor_id is 'The acting user''s or API key''s id, from sentinel.actor_id.';
comment on column sentinel.audit_log.actor_label is 'A readable or external name of the actor, for example a service name.';
comment on column sentinel.audit_log.action is 'What was done, for example member.invite or order:update.';
comment on column sentinel.audit_log.level is
    'info (an ordinary action), warn (worth a look, such as a denied permission) or error (a failure, '
    'such as a dead-lettered job). sentinel:enum AuditLevel';
comment on column sentinel.audit_log.entity_type is
    'The kind of thing acted on; for a row written by the audit trigger, the table''s logical name '
    '(bare for a table of schema sentinel, schema.table otherwise).';
comment on column sentinel.audit_log.entity_id is
    'The id of the row acted on; null when it has no single uuid id (its key is then in meta).';
comment on column sentinel.audit_log.diff is
    'Changed columns as {"column": {"old": ..., "new": ...}}, with sentinel:secret columns redacted.';
comment on column sentinel.audit_log.meta is 'Further context as a JSON object (scope, client address, ...).';
comment on column sentinel.audit_log.request_id is 'The request id of the transaction, from sentinel.request_id.';

create index audit_log_occurred_idx on sentinel.audit_log (tenant_id, occurred_at desc);
create index audit_log_entity_idx on sentinel.audit_log (tenant_id, entity_type, entity_id);
create index audit_log_chain_order_idx on sentinel.audit_log (tenant_id, tx, seq);

-- A statement-level trigger fires even when the statement matches no row, so the refusal does not
-- depend on which rows row-level security lets the caller see.
create trigger audit_log_append_only
    before update or delete or truncate on sentinel.audit_log
    for each statement execute function sentinel.reject_modification();

select sentinel.enable_tenant_rls('sentinel.audit_log');

-- V1's default privileges granted update and delete; the trail is insert and select only.
revoke update, delete, truncate on sentinel.audit_log from ${sentinel_app_role};


create table sentinel.system_audit_log (
    id          uuid        not null,
    seq         bigint      generated always as identity,
    tx          xid8        not null default pg_current_xact_id(),
    occurred_at timestamptz not null default now(),
    actor_type  text        not null,
    actor_id    uuid,
    actor_label text,
    action      text        not null,
    level       text        not null default 'info',
    entity_type text,
    entity_id   uuid,
    message     text,
    diff        jsonb,
    meta        jsonb       not null default '{}'::jsonb,
    request_id  text,
    constraint system_audit_log_pkey primary key (id),
    constraint system_audit_log_seq_key unique (seq),
    constraint system_audit_log_actor_type_check check (actor_type in ('user', 'api_key', 'service', 'system', 'anonymous')),
    constraint system_audit_log_action_format check (action ~ '^[a-z][a-z0-9_]*([.:][a-z][a-z0-9_]*)*$'),
    constraint system_audit_log_level_check check (level in ('info', 'warn', 'error')),
    constraint system_audit_log_entity_check check (entity_id is null or entity_type is not null),
    constraint system_audit_log_diff_object check (jsonb_typeof(diff) = 'object'),
    constraint system_audit_log_meta_object check (jsonb_typeof(meta) = 'object')
);
select sentinel.distribute('sentinel.system_audit_log');

comment on table sentinel.system_audit_log is
    'The append-only audit trail of actions that concern no single tenant (users, roles, platform API keys, '
    'sign-in). Global; only the system scope reads or writes it. Same columns as audit_log, without tenant_id. '
    'sentinel:unaudited it is the audit trail itself.';
comment on column sentinel.system_audit_log.seq is
    'Insertion order, assigned by the database; increasing, but not gap-free and not commit order.';
comment on column sentinel.system_audit_log.tx is 'Id of the transaction that wrote the row.';
comment on column sentinel.system_audit_log.occurred_at is 'Time of the transaction that acted.';
comment on column sentinel.system_audit_log.actor_type is
    'Who acted: user, api_key, service, system or anonymous. sentinel:enum ActorType';
comment on column sentinel.system_audit_log.actor_id is 'The acting user''s or API key''s id, from sentinel.actor_id.';
comment on column sentinel.system_audit_log.actor_label is 'A readable or external name of the actor, for example a service name.';
comment on column sentinel.system_audit_log.action is 'What was done, for example users.create.';
comment on column sentinel.system_audit_log.level is
    'info (an ordinary action), warn (worth a look, such as a denied permission) or error (a failure, '
    'such as a dead-lettered job). sentinel:enum AuditLevel';
comment on column sentinel.system_audit_log.entity_type is
    'The kind of thing acted on; for a row written by the audit trigger, the table''s logical name '
    '(bare for a table of schema sentinel, schema.table otherwise).';
comment on column sentinel.system_audit_log.entity_id is
    'The id of the row acted on; null when it has no single uuid id (its key is then in meta).';
comment on column sentinel.system_audit_log.diff is
    'Changed columns as {"column": {"old": ..., "new": ...}}, with sentinel:secret columns redacted.';
comment on column sentinel.system_audit_log.meta is 'Further context as a JSON object.';
comment on column sentinel.system_audit_log.request_id is 'The request id of the transaction, from sentinel.request_id.';

create index system_audit_log_occurred_idx on sentinel.system_audit_log (occurred_at desc);
create index system_audit_log_entity_idx on sentinel.system_audit_log (entity_type, entity_id);

create trigger system_audit_log_append_only
    before update or delete or truncate on sentinel.system_audit_log
    for each statement execute function sentinel.reject_modification();

select sentinel.enable_system_rls('sentinel.system_audit_log');

revoke update, delete, truncate on sentinel.system_audit_log from ${sentinel_app_role};


-- One audit row per changed row. Arguments, fixed by sentinel.audit_table when it attaches the
-- trigger: the table's logical name (the entity_type of its audit rows), the column that holds the
-- row's tenant ('' for a global table), then the names of its sentinel:secret columns, whose values
-- are redacted. The logical name is an argument rather than tg_table_schema and tg_table_name
-- because on a Citus cluster the trigger fires on a shard, whose name is not the table's.
create function sentinel.audit_row() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical     text := tg_argv[0];
    tenant_col  text := tg_argv[1];
    secrets     text[] := tg_argv[2:];
    old_row     jsonb;
    new_row     jsonb;
    row_data    jsonb;
    redacted    constant jsonb := '"[redacted]"';
    changes     jsonb;
    verb        text;
    actor       text := nullif(current_setting('sentinel.actor_id', true), '');
    a_type      text;
    a_id        uuid;
    a_label     text;
    tenant      uuid;
    entity      uuid;
    request     text := nullif(current_setting('sentinel.request_id', true), '');
    scope       text := case when sentinel.in_system_scope() then 'system' else 'tenant' end;
begin
    if tg_op <> 'INSERT' then
        old_row := to_jsonb(old);
    end if;
    if tg_op <> 'DELETE' then
        new_row := to_jsonb(new);
    end if;
    row_data := coalesce(new_row, old_row);

    verb := case tg_op
        when 'INSERT' then 'insert'
        when 'DELETE' then case when row_data ? 'deleted_at' then 'purge' else 'delete' end
        else case
            when old_row ? 'deleted_at' and old_row ->> 'deleted_at' is null and new_row ->> 'deleted_at' is not null then 'soft_delete'
            when old_row ? 'deleted_at' and old_row ->> 'deleted_at' is not null and new_row ->> 'deleted_at' is null then 'restore'
            else 'update'
        end
    end;

    -- The changed columns only (for an insert: the non-null ones), secrets redacted.
    select coalesce(jsonb_object_agg(k, case tg_op
               when 'INSERT' then jsonb_build_object('new', case when k = any(secrets) then redacted else new_row -> k end)
               when 'DELETE' then jsonb_build_object('old', case when k = any(secrets) then redacted else old_row -> k end)
               else jsonb_build_object(
                   'old', case when k = any(secrets) and old_row -> k <> 'null' then redacted else old_row -> k end,
                   'new', case when k = any(secrets) and new_row -> k <> 'null' then redacted else new_row -> k end)
               end), '{}'::jsonb)
      into changes
      from jsonb_object_keys(row_data) as k
     where coalesce(old_row -> k, 'null') is distinct from coalesce(new_row -> k, 'null');

    if tg_op = 'UPDATE' and changes = '{}'::jsonb then
        return null; -- nothing changed: nothing to audit
    end if;

    if actor is null then
        a_type := case scope when 'system' then 'system' else 'anonymous' end;
    elsif actor like 'service:%' then
        a_type := 'service';
        a_label := substr(actor, 9);
    elsif actor ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
        a_type := 'user';
        a_id := actor::uuid;
    else
        a_type := 'anonymous';
        a_label := left(actor, 200);
    end if;

    if row_data ->> 'id' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
        entity := (row_data ->> 'id')::uuid;
    end if;
    -- A tenant's row goes to its tenant's trail; a global row changed inside a tenant's scope goes
    -- to that tenant's trail; a global row changed in the system scope goes to the system trail.
    tenant := case when tenant_col <> '' then (row_data ->> tenant_col)::uuid else sentinel.current_tenant_id() end;

    if tenant is not null then
        insert into sentinel.audit_log (tenant_id, id, actor_type, actor_id, actor_label, action, entity_type,
                                        entity_id, diff, meta, request_id)
        values (tenant, gen_random_uuid(), a_type, a_id, a_label, verb, logical,
                entity, changes, jsonb_build_object('scope', scope), request);
    else
        insert into sentinel.system_audit_log (id, actor_type, actor_id, actor_label, action, entity_type,
                                               entity_id, diff, meta, request_id)
        values (gen_random_uuid(), a_type, a_id, a_label, verb, logical,
                entity, changes, jsonb_build_object('scope', scope), request);
    end if;
    return null;
end
$$;
comment on function sentinel.audit_row() is
    'AFTER INSERT/UPDATE/DELETE row trigger of audited tables: writes one audit row with actor, action '
    '(insert, update, delete, soft_delete, restore, purge), entity and a diff of the changed columns, '
    'secrets redacted. Arguments: logical table name (entity_type), tenant column or '''', secret columns. '
    'Attach it with sentinel.audit_table(regclass).';

-- Attaches (or re-attaches) the audit trigger. It computes the table's logical name and reads which
-- columns are secret from their comments now, so that the trigger need not look at the catalog on
-- every write: call it again after marking a column sentinel:secret. Downstream migrations call it
-- for their own tables.
create function sentinel.audit_table(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    logical_name  text;
    tenant_column text := '';
    secrets       text[];
begin
    -- The entity_type of the table's audit rows: the bare name in schema sentinel, schema.table elsewhere.
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
    execute format('drop trigger if exists sentinel_audit on %s', target);
    execute format('create trigger sentinel_audit after insert or update or delete on %s'
                   ' for each row execute function sentinel.audit_row(%s)',
                   target, (select string_agg(quote_literal(x), ', ')
                              from unnest(array[logical_name, tenant_column] || secrets) x));
end
$$;
comment on function sentinel.audit_table(regclass) is
    'Attaches the audit trigger sentinel_audit to a table (again, if present), with its logical name, its '
    'tenant column and its sentinel:secret columns. Call it in the migration that creates an audited table.';
revoke execute on function sentinel.audit_table(regclass) from public;


-- The sealed chain: one link per audit row, per tenant, in (tx, seq) order. Link n's hash is
-- HMAC-SHA256(key, hash of link n-1 || canonical text of the row); the key stays with the service.
create table sentinel.audit_chain (
    tenant_id uuid        not null,
    position  bigint      not null,
    audit_id  uuid        not null,
    hash      text        not null,
    key_id    text        not null,
    sealed_at timestamptz not null default now(),
    constraint audit_chain_pkey primary key (tenant_id, position),
    constraint audit_chain_audit_key unique (tenant_id, audit_id),
    constraint audit_chain_tenant_fkey foreign key (tenant_id) references sentinel.tenants (id) on delete restrict,
    constraint audit_chain_position_positive check (position > 0),
    constraint audit_chain_hash_format check (hash ~ '^[0-9a-f]{64}$')
);
select sentinel.distribute('sentinel.audit_chain');

comment on table sentinel.audit_chain is
    'Sealed links over each tenant''s audit rows: an HMAC chain whose key is never in the database. Append-only. '
    'sentinel:unaudited it seals the audit trail, which is audited already.';
comment on column sentinel.audit_chain.position is 'The link''s place in the tenant''s chain, from 1.';
comment on column sentinel.audit_chain.audit_id is 'The audit_log row this link seals.';
comment on column sentinel.audit_chain.hash is 'Hex HMAC-SHA256 over the previous link''s hash and the row''s canonical text.';
comment on column sentinel.audit_chain.key_id is 'Id of the service-held key that computed the hash.';

create trigger audit_chain_append_only
    before update or delete or truncate on sentinel.audit_chain
    for each statement execute function sentinel.reject_modification();
select sentinel.enable_tenant_rls('sentinel.audit_chain');
revoke update, delete, truncate on sentinel.audit_chain from ${sentinel_app_role};

-- The text an audit row is hashed as: values as PostgreSQL stores them (jsonb in its normalized key
-- order, timestamps in UTC with microseconds), independent of the session's time zone and of the
-- driver's or the JVM's formatting.
create function sentinel.audit_canonical(a sentinel.audit_log) returns text
    language sql stable parallel safe
    set search_path = pg_catalog, pg_temp
    as $$
    select jsonb_build_array(a.id, a.tenant_id, a.seq, a.tx::text,
                             to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             a.actor_type, a.actor_id, a.actor_label, a.action, a.level, a.entity_type,
                             a.entity_id, a.message, a.diff, a.meta, a.request_id)::text
$$;
comment on function sentinel.audit_canonical(sentinel.audit_log) is
    'The canonical text of an audit row that the chain''s HMAC covers.';


-- Every table whose changes matter is audited, each in the migration that creates it; the tenants
-- table was created before the trigger existed.
select sentinel.audit_table('sentinel.tenants');
