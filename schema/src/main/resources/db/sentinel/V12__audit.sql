-- Audit: the append-only trails. audit_log is a tenant table like any other (tenant_id not null), so
-- a tenant never sees a global row and the chain of a later issue can be per tenant; actions that
-- concern no tenant (users, roles, platform keys, sign-in) go to system_audit_log, a global table.
-- Both reject UPDATE, DELETE and TRUNCATE for every role, the owner and superusers included; the
-- application role may only INSERT and SELECT. The triggers that write audit rows on every audited
-- table, and the sealed chain over them, come with the Audit issue.

create table sentinel.audit_log (
    tenant_id   uuid        not null,
    id          uuid        not null,
    seq         bigint      generated always as identity,
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

comment on table sentinel.audit_log is
    'The tenant''s append-only audit trail: one row per audited action. UPDATE, DELETE and TRUNCATE are '
    'rejected for every role; the application role may only insert and read.';
comment on column sentinel.audit_log.seq is
    'Insertion order, assigned by the database; increasing, but not gap-free and not commit order.';
comment on column sentinel.audit_log.occurred_at is 'Time of the transaction that acted.';
comment on column sentinel.audit_log.actor_type is 'Who acted: user, api_key, service, system or anonymous.';
comment on column sentinel.audit_log.actor_id is 'The acting user''s or API key''s id, from sentinel.actor_id.';
comment on column sentinel.audit_log.actor_label is 'A readable or external name of the actor, for example a service name.';
comment on column sentinel.audit_log.action is 'What was done, for example invoice.issue or leads:update.';
comment on column sentinel.audit_log.level is 'info, warn or error.';
comment on column sentinel.audit_log.entity_type is 'The kind of thing acted on, usually the table name.';
comment on column sentinel.audit_log.entity_id is
    'The id of the row acted on; null when it has no single uuid id (its key is then in meta).';
comment on column sentinel.audit_log.diff is
    'Changed columns as {"column": {"old": ..., "new": ...}}, with sentinel:secret columns redacted.';
comment on column sentinel.audit_log.meta is 'Further context as a JSON object (scope, client address, ...).';
comment on column sentinel.audit_log.request_id is 'The request id of the transaction, from sentinel.request_id.';

create index audit_log_occurred_idx on sentinel.audit_log (tenant_id, occurred_at desc);
create index audit_log_entity_idx on sentinel.audit_log (tenant_id, entity_type, entity_id);

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

comment on table sentinel.system_audit_log is
    'The append-only audit trail of actions that concern no single tenant (users, roles, platform API keys, '
    'sign-in). Global; only the system scope reads or writes it. Same columns as audit_log, without tenant_id.';
comment on column sentinel.system_audit_log.seq is
    'Insertion order, assigned by the database; increasing, but not gap-free and not commit order.';
comment on column sentinel.system_audit_log.occurred_at is 'Time of the transaction that acted.';
comment on column sentinel.system_audit_log.actor_type is 'Who acted: user, api_key, service, system or anonymous.';
comment on column sentinel.system_audit_log.actor_id is 'The acting user''s or API key''s id, from sentinel.actor_id.';
comment on column sentinel.system_audit_log.actor_label is 'A readable or external name of the actor, for example a service name.';
comment on column sentinel.system_audit_log.action is 'What was done, for example users.create.';
comment on column sentinel.system_audit_log.level is 'info, warn or error.';
comment on column sentinel.system_audit_log.entity_type is 'The kind of thing acted on, usually the table name.';
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
