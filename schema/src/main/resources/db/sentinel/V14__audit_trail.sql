-- The audit trail's writing side: a trigger on every audited table writes one audit row per
-- changed row, in the same transaction, reading the actor and request id from the transaction's
-- settings. So raw SQL is audited like the repositories, nothing is written twice, and no round
-- trip is added. Then the sealed chain: links that a sealer outside the database appends, with an
-- HMAC whose key the database never sees.

-- The writing transaction's id orders the chain: the sealer seals only rows of transactions older
-- than every transaction still running (pg_snapshot_xmin), so no commit can land behind the head
-- it has sealed, and writers take no lock for it.
alter table sentinel.audit_log add column tx xid8 not null default pg_current_xact_id();
comment on column sentinel.audit_log.tx is
    'Id of the transaction that wrote the row. The chain is ordered by (tx, seq) and sealed only below the oldest running transaction.';
create index audit_log_chain_order_idx on sentinel.audit_log (tenant_id, tx, seq);

alter table sentinel.system_audit_log add column tx xid8 not null default pg_current_xact_id();
comment on column sentinel.system_audit_log.tx is 'Id of the transaction that wrote the row.';

-- One audit row per changed row. Arguments: the column that holds the row's tenant ('' for a
-- global table), then the names of its sentinel:secret columns, whose values are redacted.
create function sentinel.audit_row() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    old_row  jsonb;
    new_row  jsonb;
    row_data jsonb;
    secrets  text[] := tg_argv[1:];
    redacted constant jsonb := '"[redacted]"';
    changes  jsonb;
    verb     text;
    actor    text := nullif(current_setting('sentinel.actor_id', true), '');
    a_type   text;
    a_id     uuid;
    a_label  text;
    tenant   uuid;
    entity   uuid;
    request  text := nullif(current_setting('sentinel.request_id', true), '');
    scope    text := case when sentinel.in_system_scope() then 'system' else 'tenant' end;
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
    tenant := case when tg_argv[0] <> '' then (row_data ->> tg_argv[0])::uuid else sentinel.current_tenant_id() end;

    if tenant is not null then
        insert into sentinel.audit_log (tenant_id, id, actor_type, actor_id, actor_label, action, entity_type,
                                        entity_id, diff, meta, request_id)
        values (tenant, gen_random_uuid(), a_type, a_id, a_label, verb,
                case when tg_table_schema = 'sentinel' then tg_table_name else tg_table_schema || '.' || tg_table_name end,
                entity, changes, jsonb_build_object('scope', scope), request);
    else
        insert into sentinel.system_audit_log (id, actor_type, actor_id, actor_label, action, entity_type,
                                               entity_id, diff, meta, request_id)
        values (gen_random_uuid(), a_type, a_id, a_label, verb,
                case when tg_table_schema = 'sentinel' then tg_table_name else tg_table_schema || '.' || tg_table_name end,
                entity, changes, jsonb_build_object('scope', scope), request);
    end if;
    return null;
end
$$;
comment on function sentinel.audit_row() is
    'AFTER INSERT/UPDATE/DELETE row trigger of audited tables: writes one audit row with actor, action '
    '(insert, update, delete, soft_delete, restore, purge), entity and a diff of the changed columns, '
    'secrets redacted. Attach it with sentinel.audit_table(regclass).';

-- Attaches (or re-attaches) the audit trigger. It reads which columns are secret from their
-- comments now, so that the trigger need not look at the catalog on every write: call it again
-- after marking a column sentinel:secret. Downstream migrations call it for their own tables.
create function sentinel.audit_table(target regclass) returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    tenant_column text := '';
    secrets text[];
begin
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
                   target, (select string_agg(quote_literal(x), ', ') from unnest(array[tenant_column] || secrets) x));
end
$$;
comment on function sentinel.audit_table(regclass) is
    'Attaches the audit trigger sentinel_audit to a table (again, if present), with its tenant column and '
    'its sentinel:secret columns. Call it in the migration that creates an audited table.';
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
comment on table sentinel.audit_chain is
    'Sealed links over each tenant''s audit rows: an HMAC chain whose key is never in the database. Append-only.';
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

-- Every table whose changes matter is audited. Not audited: the audit tables themselves, the
-- jobs queue (claims and heartbeats would flood the trail; dead-lettering and cancellation are
-- audited explicitly), invoice_sequences (a counter; the invoice it numbers is audited) and
-- auth_attempts (itself a log of sign-in attempts).
select sentinel.audit_table(t::regclass) from unnest(array[
    'sentinel.tenants', 'sentinel.environments',
    'sentinel.users', 'sentinel.account_lockouts', 'sentinel.global_api_keys',
    'sentinel.tenant_members', 'sentinel.api_keys', 'sentinel.refresh_tokens',
    'sentinel.roles', 'sentinel.permissions', 'sentinel.role_permissions',
    'sentinel.global_role_assignments', 'sentinel.tenant_role_assignments',
    'sentinel.projects', 'sentinel.project_assignments', 'sentinel.services', 'sentinel.time_entries',
    'sentinel.clients', 'sentinel.invoices', 'sentinel.invoice_items', 'sentinel.ledger_entries',
    'sentinel.contracts', 'sentinel.contract_versions',
    'sentinel.leads', 'sentinel.kb_documents', 'sentinel.media_assets', 'sentinel.integrations'
]) as t;
