-- Contracts, continued (issue #10): versions hold a body or a document reference with its
-- checksum and can never change; the e-signature state machine (draft -> sent -> signed |
-- declined | voided | expired, and back to draft from the last three) is enforced by the database
-- as well as by tx.contracts(); the permissions of tx.contracts() with their default roles.
-- Row-level security is forced for the owner too: the data fixes below enter the system scope for
-- this migration's transaction and leave it at the end.

select set_config('sentinel.scope', 'system', true);


-- Versions: the text itself, or a reference to a document stored elsewhere (a signed PDF in object
-- storage), never both. The checksum covers whichever it is: the body is checked by the database,
-- a document's bytes only by whoever holds them.
alter table sentinel.contract_versions rename column body_sha256 to content_sha256;
alter table sentinel.contract_versions
    alter column body drop not null,
    alter column body_format drop not null,
    alter column body_format drop default,
    add column document_ref text,
    add constraint contract_versions_content_check check ((body is null) <> (document_ref is null)),
    add constraint contract_versions_body_format_presence check ((body is null) = (body_format is null)),
    add constraint contract_versions_document_ref_length check (char_length(document_ref) between 1 and 2000),
    add constraint contract_versions_body_checksum check (body is null or content_sha256 = sha256(convert_to(body, 'UTF8')));

comment on column sentinel.contract_versions.body is 'The text of this version; null when document_ref holds it.';
comment on column sentinel.contract_versions.body_format is 'markdown, html or plain; set exactly when body is.';
comment on column sentinel.contract_versions.document_ref is
    'Where the document of this version is stored (a URI or storage key); null when body holds the text.';
comment on column sentinel.contract_versions.content_sha256 is
    'SHA-256 of body in UTF-8 (checked by the database) or of the referenced document''s bytes, 32 bytes: '
    'what was sent for signature can be proved unchanged.';
comment on table sentinel.contract_versions is
    'One version of a contract, numbered from 1 without gaps; the highest number is the current version. '
    'Immutable: UPDATE is always rejected, DELETE and TRUNCATE too, except when purging the contract deletes its versions.';

-- Insert: only into a draft contract, and numbered right after the newest version. Update: never.
-- Delete: only as the cascade of purging the contract (the contract row is gone by then).
create function sentinel.contract_versions_guard() returns trigger
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
        if exists (select from sentinel.contracts c where c.tenant_id = old.tenant_id and c.id = old.contract_id) then
            raise exception 'contract version % of contract % is immutable: DELETE is not allowed', old.version_number, old.contract_id
                using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name,
                      hint = 'Versions go only with their contract, when it is purged; soft-delete the contract instead.';
        end if;
        return old;
    end if;
    -- The lock serializes concurrent inserts of one contract's versions, so the number check holds.
    select c.signature_status into state
      from sentinel.contracts c
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
      from sentinel.contract_versions v
     where v.tenant_id = new.tenant_id and v.contract_id = new.contract_id;
    if new.version_number is distinct from coalesce(newest, 0) + 1 then
        raise exception 'contract % gets version % next, not %', new.contract_id, coalesce(newest, 0) + 1, new.version_number
            using errcode = 'check_violation', schema = tg_table_schema, table = tg_table_name,
                  constraint = 'contract_versions_gap_free';
    end if;
    return new;
end
$$;
comment on function sentinel.contract_versions_guard() is
    'BEFORE INSERT/UPDATE/DELETE row and BEFORE TRUNCATE statement trigger of contract_versions: versions are '
    'immutable (restrict_violation), '
    'added only to a draft contract and numbered without gaps (check_violation).';

create trigger contract_versions_guard
    before insert or update or delete on sentinel.contract_versions
    for each row execute function sentinel.contract_versions_guard();

-- Not sentinel.reject_modification(): that marks an append-only audit table, whose DELETE is
-- rejected outright, while purging a contract must still take its versions with it.
create trigger contract_versions_no_truncate
    before truncate on sentinel.contract_versions
    for each statement execute function sentinel.contract_versions_guard();


-- The signature state machine. signature_status becomes the one state column: 'not_sent' is now
-- 'draft', 'delivered' (a provider detail) folds into 'sent', 'expired' is new; the coarse status
-- column, which overlapped it and which nothing kept consistent, is dropped.
alter table sentinel.contracts
    drop constraint contracts_signature_status_check,
    add column sent_version_number   integer,
    add column signed_version_number integer,
    add column signature_expires_at  timestamptz;

update sentinel.contracts c
   set signature_status = case c.signature_status when 'not_sent' then 'draft' when 'delivered' then 'sent'
                          else c.signature_status end,
       sent_version_number = case when c.signature_status <> 'not_sent' then
           (select max(v.version_number) from sentinel.contract_versions v
             where v.tenant_id = c.tenant_id and v.contract_id = c.id) end;
update sentinel.contracts set signed_version_number = sent_version_number where signature_status = 'signed';

alter table sentinel.contracts
    drop column status,
    alter column signature_status set default 'draft',
    add constraint contracts_signature_status_check check (signature_status in
        ('draft', 'sent', 'signed', 'declined', 'voided', 'expired')),
    add constraint contracts_sent_version_check check ((signature_status = 'draft') = (sent_version_number is null)),
    add constraint contracts_sent_provider_check check ((sent_version_number is null) = (signature_provider is null)),
    add constraint contracts_signed_version_check check ((signature_status = 'signed') = (signed_version_number is not null)
        and (signed_version_number is null or signed_version_number = sent_version_number)),
    add constraint contracts_provider_envelope_check check (signature_envelope_id is not null
        or coalesce(signature_provider, 'manual') = 'manual'),
    add constraint contracts_expiry_check check (signature_expires_at is null or sent_version_number is not null);

comment on column sentinel.contracts.signature_status is
    'The e-signature state: draft, sent, signed, declined, voided or expired. Changes only along the state machine '
    '(contracts_signature_transition): draft -> sent -> signed | declined | voided | expired; declined, voided and '
    'expired -> draft. signed is final.';
comment on column sentinel.contracts.signature_provider is
    'E-signature provider of the current request: docusign, hellosign or manual; null while a draft.';
comment on column sentinel.contracts.signature_envelope_id is
    'The provider''s envelope (request) id, which its webhooks quote; unique per tenant and provider; required '
    'for docusign and hellosign.';
comment on column sentinel.contracts.sent_version_number is
    'The version sent for signature (the newest when it was sent); null while a draft.';
comment on column sentinel.contracts.signed_version_number is 'The version that was signed; set exactly when signed.';
comment on column sentinel.contracts.signature_expires_at is 'When the signature request lapses, if it does.';

-- Changes of signature_status must follow the machine; while the status stays, a request's fields
-- (provider, envelope, sent version, expiry, signature) stay too. Sending requires the newest
-- version to be the one sent.
create function sentinel.contracts_signature_guard() returns trigger
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
            (select max(v.version_number) from sentinel.contract_versions v
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
comment on function sentinel.contracts_signature_guard() is
    'BEFORE UPDATE row trigger of contracts: signature_status changes only along the e-signature state machine, '
    'and the request''s fields only with a transition (check_violation, constraint contracts_signature_transition).';

create trigger contracts_signature_guard
    before update on sentinel.contracts
    for each row execute function sentinel.contracts_signature_guard();


insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'contract:write', 'Create and change contracts and add versions.'),
       (gen_random_uuid(), 'contract:send', 'Send a contract for signature, void the request, reopen it.'),
       (gen_random_uuid(), 'contract:sign', 'Record the outcome of a signature request: signed, declined, expired.'),
       (gen_random_uuid(), 'contract:delete', 'Soft-delete and restore contracts.');

-- admin: everything; staff: the day-to-day writes; viewer: nothing that writes.
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

select set_config('sentinel.scope', '', true);
