-- Contracts: legal agreements with clients, their versions, and their e-signature state. Tenant
-- tables, audited. Versions hold a body or a document reference with its checksum and never
-- change; the e-signature state machine (draft -> sent -> signed | declined | voided | expired, and
-- back to draft from the last three) is enforced by the database as well as by tx.contracts().

create table agency.contracts (
    tenant_id             uuid        not null,
    id                    uuid        not null,
    client_id             uuid,
    project_id            uuid,
    title                 text        not null,
    signature_status      text        not null default 'draft',
    signature_provider    text,
    signature_envelope_id text,
    starts_on             date,
    ends_on               date,
    signed_at             timestamptz,
    version               integer     not null default 0,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    deleted_at            timestamptz,
    deleted_by            uuid,
    delete_reason         text,
    sent_version_number   integer,
    signed_version_number integer,
    signature_expires_at  timestamptz,
    constraint contracts_pkey primary key (tenant_id, id),
    constraint contracts_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A legal record keeps its counterparty: soft-delete the client instead.
    constraint contracts_client_fkey foreign key (tenant_id, client_id)
        references agency.clients (tenant_id, id) on delete restrict,
    -- Projects are soft-deleted, so the link stays. Restrict, not set null: a purge of the project
    -- clears its links first (Citus refuses SET NULL on a key that includes tenant_id).
    constraint contracts_project_fkey foreign key (tenant_id, project_id)
        references agency.projects (tenant_id, id) on delete restrict,
    constraint contracts_title_length check (char_length(title) between 1 and 300),
    constraint contracts_signature_status_check check (signature_status in
        ('draft', 'sent', 'signed', 'declined', 'voided', 'expired')),
    constraint contracts_signature_provider_check check (signature_provider in ('docusign', 'hellosign', 'manual')),
    constraint contracts_envelope_check check (signature_envelope_id is null or signature_provider is not null),
    constraint contracts_signed_check check ((signature_status = 'signed') = (signed_at is not null)),
    constraint contracts_sent_version_check check ((signature_status = 'draft') = (sent_version_number is null)),
    constraint contracts_sent_provider_check check ((sent_version_number is null) = (signature_provider is null)),
    constraint contracts_signed_version_check check ((signature_status = 'signed') = (signed_version_number is not null)
        and (signed_version_number is null or signed_version_number = sent_version_number)),
    constraint contracts_provider_envelope_check check (signature_envelope_id is not null
        or coalesce(signature_provider, 'manual') = 'manual'),
    constraint contracts_expiry_check check (signature_expires_at is null or sent_version_number is not null),
    constraint contracts_period_check check (ends_on >= starts_on),
    constraint contracts_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.contracts');

comment on table agency.contracts is 'A legal agreement of the tenant, usually with a client; its text lives in contract_versions.';
comment on column agency.contracts.client_id is 'The counterparty, if it is a client.';
comment on column agency.contracts.project_id is 'The project the contract covers, if any.';
comment on column agency.contracts.signature_status is
    'The e-signature state: draft (being written; versions can be added), sent (the newest version is '
    'out for signature), signed (final; signed_version_number says which), declined, voided or expired '
    '(each may be reopened as a draft). Changes only along the state machine '
    '(contracts_signature_transition): draft -> sent -> signed | declined | voided | expired; declined, voided and '
    'expired -> draft. signed is final. sentinel:enum SignatureState';
comment on column agency.contracts.signature_provider is
    'E-signature provider of the current request: docusign or hellosign (the request needs the '
    'provider''s envelope id) or manual (signed on paper or by other means; the envelope id is '
    'optional); null while a draft. sentinel:enum SignatureProvider';
comment on column agency.contracts.signature_envelope_id is
    'The provider''s envelope (request) id, which its webhooks quote; unique per tenant and provider; required '
    'for docusign and hellosign.';
comment on column agency.contracts.signed_at is 'When the last party signed; set exactly when signature_status is signed.';
comment on column agency.contracts.version is 'Optimistic-locking version, incremented on every update.';
comment on column agency.contracts.deleted_at is 'Soft-delete time; null while the contract is live.';
comment on column agency.contracts.deleted_by is 'The actor who soft-deleted the contract.';
comment on column agency.contracts.delete_reason is 'Why the contract was soft-deleted.';
comment on column agency.contracts.sent_version_number is
    'The version sent for signature (the newest when it was sent); null while a draft.';
comment on column agency.contracts.signed_version_number is 'The version that was signed; set exactly when signed.';
comment on column agency.contracts.signature_expires_at is 'When the signature request lapses, if it does.';

create unique index contracts_envelope_key on agency.contracts (tenant_id, signature_provider, signature_envelope_id)
    where signature_envelope_id is not null;
create index contracts_client_idx on agency.contracts (tenant_id, client_id);
create index contracts_project_idx on agency.contracts (tenant_id, project_id);

create trigger contracts_touch_updated_at
    before update on agency.contracts
    for each row execute function sentinel.touch_updated_at();

-- Changes of signature_status must follow the machine; while the status stays, a request's fields
-- (provider, envelope, sent version, expiry, signature) stay too. Sending requires the newest
-- version to be the one sent, so what is signed is exactly what contract_versions holds last.
create function agency.contracts_signature_guard() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if new.signature_status = old.signature_status then
        if (new.signature_provider, new.signature_envelope_id, new.sent_version_number, new.signature_expires_at,
            new.signed_at, new.signed_version_number)
           is distinct from
           (old.signature_provider, old.signature_envelope_id, old.sent_version_number, old.signature_expires_at,
            old.signed_at, old.signed_version_number) then
            raise exception 'contract %: the signature fields change only with a transition of signature_status (now %)',
                    old.id, old.signature_status
                using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                      constraint = 'contracts_signature_transition';
        end if;
        return new;
    end if;
    if not ((old.signature_status = 'draft' and new.signature_status = 'sent')
            or (old.signature_status = 'sent' and new.signature_status in ('signed', 'declined', 'voided', 'expired'))
            or (old.signature_status in ('declined', 'voided', 'expired') and new.signature_status = 'draft')) then
        raise exception 'contract %: signature_status cannot change from % to %', old.id, old.signature_status, new.signature_status
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contracts_signature_transition',
                  hint = 'draft -> sent -> signed | declined | voided | expired; declined, voided, expired -> draft.';
    end if;
    if new.signature_status = 'sent' and new.sent_version_number is distinct from
            (select max(v.version_number) from agency.contract_versions v
              where v.tenant_id = new.tenant_id and v.contract_id = new.id) then
        raise exception 'contract %: the version sent must be its newest version', old.id
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contracts_signature_transition',
                  hint = 'Add a version before sending; a contract without versions cannot be sent.';
    end if;
    if old.signature_status = 'sent' and new.signature_status <> 'draft'
       and (new.signature_provider, new.signature_envelope_id, new.sent_version_number, new.signature_expires_at)
           is distinct from (old.signature_provider, old.signature_envelope_id, old.sent_version_number, old.signature_expires_at) then
        raise exception 'contract %: the outcome of a signature request keeps its provider, envelope, version and expiry', old.id
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contracts_signature_transition';
    end if;
    return new;
end
$$;
comment on function agency.contracts_signature_guard() is
    'BEFORE UPDATE row trigger of contracts: signature_status changes only along the e-signature state machine, '
    'and the request''s fields only with a transition (check_violation, constraint contracts_signature_transition).';

create trigger contracts_signature_guard
    before update on agency.contracts
    for each row execute function agency.contracts_signature_guard();

select sentinel.enable_tenant_rls('agency.contracts');
select sentinel.audit_table('agency.contracts');


-- Versions: the text itself, or a reference to a document stored elsewhere (a signed PDF in object
-- storage), never both. The checksum covers whichever it is: the body is checked by the database,
-- a document's bytes only by whoever holds them.
create table agency.contract_versions (
    tenant_id      uuid        not null,
    id             uuid        not null,
    contract_id    uuid        not null,
    version_number integer     not null,
    body           text,
    body_format    text,
    content_sha256 bytea       not null,
    change_note    text,
    created_by     uuid,
    created_at     timestamptz not null default now(),
    document_ref   text,
    constraint contract_versions_pkey primary key (tenant_id, id),
    constraint contract_versions_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Versions are part of their contract; contracts are soft-deleted, so this fires only on a purge.
    constraint contract_versions_contract_fkey foreign key (tenant_id, contract_id)
        references agency.contracts (tenant_id, id) on delete cascade,
    constraint contract_versions_number_key unique (tenant_id, contract_id, version_number),
    constraint contract_versions_number_check check (version_number >= 1),
    constraint contract_versions_body_format_check check (body_format in ('markdown', 'html', 'plain')),
    constraint contract_versions_sha256_length check (octet_length(content_sha256) = 32),
    constraint contract_versions_content_check check ((body is null) <> (document_ref is null)),
    constraint contract_versions_body_format_presence check ((body is null) = (body_format is null)),
    constraint contract_versions_document_ref_length check (char_length(document_ref) between 1 and 2000),
    constraint contract_versions_body_checksum check (body is null or content_sha256 = sha256(convert_to(body, 'UTF8')))
);
select sentinel.distribute('agency.contract_versions');

comment on table agency.contract_versions is
    'One version of a contract, numbered from 1 without gaps; the highest number is the current version. '
    'Immutable: UPDATE is always rejected, DELETE and TRUNCATE too, except when purging the contract deletes its versions.';
comment on column agency.contract_versions.version_number is 'Version within the contract, from 1, without gaps.';
comment on column agency.contract_versions.body is 'The text of this version; null when document_ref holds it.';
comment on column agency.contract_versions.body_format is
    'The markup of body: markdown, html or plain; set exactly when body is. sentinel:enum BodyFormat';
comment on column agency.contract_versions.content_sha256 is
    'SHA-256 of body in UTF-8 (checked by the database) or of the referenced document''s bytes, 32 bytes: '
    'what was sent for signature can be proved unchanged.';
comment on column agency.contract_versions.change_note is 'What changed from the previous version.';
comment on column agency.contract_versions.created_by is 'The actor who wrote this version.';
comment on column agency.contract_versions.document_ref is
    'Where the document of this version is stored (a URI or storage key); null when body holds the text.';

-- Insert: only into a draft contract, and numbered right after the newest version. Update: never.
-- Delete: only as the cascade of purging the contract (the contract row is gone by then). What was
-- sent for signature must stay provably what was sent, whoever writes (raw SQL, a data fix).
create function agency.contract_versions_guard() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    state  text;
    newest integer;
begin
    if tg_op = 'TRUNCATE' then
        raise exception '%.% is immutable: TRUNCATE is not allowed', tg_table_schema, tg_table_name
            using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name;
    elsif tg_op = 'UPDATE' then
        raise exception 'contract version % of contract % is immutable: UPDATE is not allowed', old.version_number, old.contract_id
            using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name,
                  hint = 'Add a new version to change the text.';
    elsif tg_op = 'DELETE' then
        if exists (select from agency.contracts c where c.tenant_id = old.tenant_id and c.id = old.contract_id) then
            raise exception 'contract version % of contract % is immutable: DELETE is not allowed', old.version_number, old.contract_id
                using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name,
                      hint = 'Versions go only with their contract, when it is purged; soft-delete the contract instead.';
        end if;
        return old;
    end if;
    -- The lock serializes concurrent inserts of one contract's versions, so the number check holds.
    select c.signature_status into state
      from agency.contracts c
     where c.tenant_id = new.tenant_id and c.id = new.contract_id
       for update;
    if not found then
        return new; -- no such contract: the foreign key reports it
    end if;
    if state <> 'draft' then
        raise exception 'contract % is %: versions are added only while it is a draft', new.contract_id, state
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contract_versions_draft_only',
                  hint = 'Reopen a declined, voided or expired contract first; a signed contract is final.';
    end if;
    select max(v.version_number) into newest
      from agency.contract_versions v
     where v.tenant_id = new.tenant_id and v.contract_id = new.contract_id;
    if new.version_number is distinct from coalesce(newest, 0) + 1 then
        raise exception 'contract % gets version % next, not %', new.contract_id, coalesce(newest, 0) + 1, new.version_number
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contract_versions_gap_free';
    end if;
    return new;
end
$$;
comment on function agency.contract_versions_guard() is
    'BEFORE INSERT/UPDATE/DELETE row and BEFORE TRUNCATE statement trigger of contract_versions: versions are '
    'immutable (restrict_violation), '
    'added only to a draft contract and numbered without gaps (check_violation).';

create trigger contract_versions_guard
    before insert or update or delete on agency.contract_versions
    for each row execute function agency.contract_versions_guard();

-- Not sentinel.reject_modification(): that marks an append-only audit table, whose DELETE is
-- rejected outright, while purging a contract must still take its versions with it.
create trigger contract_versions_no_truncate
    before truncate on agency.contract_versions
    for each statement execute function agency.contract_versions_guard();

select sentinel.enable_tenant_rls('agency.contract_versions');
select sentinel.audit_table('agency.contract_versions');


-- The permissions of tx.contracts(), granted to the kernel's default tenant roles: admin everything;
-- staff the day-to-day writes; viewer nothing that writes. Global rows, written in the system scope.
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'contract:write', 'Create and change contracts and add versions.'),
       (gen_random_uuid(), 'contract:send', 'Send a contract for signature, void the request, reopen it.'),
       (gen_random_uuid(), 'contract:sign', 'Record the outcome of a signature request: signed, declined, expired.'),
       (gen_random_uuid(), 'contract:delete', 'Soft-delete and restore contracts.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('contract:write', 'contract:send', 'contract:sign', 'contract:delete')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('contract:write', 'contract:send')
 where r.key = 'staff';

set local sentinel.scope = '';
