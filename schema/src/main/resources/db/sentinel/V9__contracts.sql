-- Contracts: legal agreements with clients, their versions, and their e-signature state. Tenant
-- tables. (Immutability of a version once sent is the Contracts issue's work.)

create table sentinel.contracts (
    tenant_id             uuid        not null,
    id                    uuid        not null,
    client_id             uuid,
    project_id            uuid,
    title                 text        not null,
    status                text        not null default 'draft',
    signature_status      text        not null default 'not_sent',
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
    constraint contracts_pkey primary key (tenant_id, id),
    constraint contracts_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A legal record keeps its counterparty: soft-delete the client instead.
    constraint contracts_client_fkey foreign key (tenant_id, client_id)
        references sentinel.clients (tenant_id, id) on delete restrict,
    constraint contracts_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete set null (project_id),
    constraint contracts_title_length check (char_length(title) between 1 and 300),
    constraint contracts_status_check check (status in ('draft', 'sent', 'active', 'expired', 'terminated', 'cancelled')),
    constraint contracts_signature_status_check check (signature_status in
        ('not_sent', 'sent', 'delivered', 'signed', 'declined', 'voided')),
    constraint contracts_signature_provider_check check (signature_provider in ('docusign', 'hellosign', 'manual')),
    constraint contracts_envelope_check check (signature_envelope_id is null or signature_provider is not null),
    constraint contracts_signed_check check ((signature_status = 'signed') = (signed_at is not null)),
    constraint contracts_period_check check (ends_on >= starts_on),
    constraint contracts_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);

comment on table sentinel.contracts is 'A legal agreement of the tenant, usually with a client; its text lives in contract_versions.';
comment on column sentinel.contracts.client_id is 'The counterparty, if it is a client.';
comment on column sentinel.contracts.project_id is 'The project the contract covers, if any.';
comment on column sentinel.contracts.status is 'draft, sent, active, expired, terminated or cancelled.';
comment on column sentinel.contracts.signature_status is
    'E-signature state at the provider: not_sent, sent, delivered, signed, declined or voided.';
comment on column sentinel.contracts.signature_provider is 'E-signature provider: docusign, hellosign or manual.';
comment on column sentinel.contracts.signature_envelope_id is
    'The provider''s envelope (request) id, which its webhooks quote; unique per tenant and provider.';
comment on column sentinel.contracts.signed_at is 'When the last party signed; set exactly when signature_status is signed.';
comment on column sentinel.contracts.version is 'Optimistic-locking version, incremented on every update.';
comment on column sentinel.contracts.deleted_at is 'Soft-delete time; null while the contract is live.';
comment on column sentinel.contracts.deleted_by is 'The actor who soft-deleted the contract.';
comment on column sentinel.contracts.delete_reason is 'Why the contract was soft-deleted.';

create unique index contracts_envelope_key on sentinel.contracts (tenant_id, signature_provider, signature_envelope_id)
    where signature_envelope_id is not null;
create index contracts_client_idx on sentinel.contracts (tenant_id, client_id);
create index contracts_project_idx on sentinel.contracts (tenant_id, project_id);

create trigger contracts_touch_updated_at
    before update on sentinel.contracts
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.contracts');


create table sentinel.contract_versions (
    tenant_id      uuid        not null,
    id             uuid        not null,
    contract_id    uuid        not null,
    version_number integer     not null,
    body           text        not null,
    body_format    text        not null default 'markdown',
    body_sha256    bytea       not null,
    change_note    text,
    created_by     uuid,
    created_at     timestamptz not null default now(),
    constraint contract_versions_pkey primary key (tenant_id, id),
    constraint contract_versions_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Versions are part of their contract; contracts are soft-deleted, so this fires only on a purge.
    constraint contract_versions_contract_fkey foreign key (tenant_id, contract_id)
        references sentinel.contracts (tenant_id, id) on delete cascade,
    constraint contract_versions_number_key unique (tenant_id, contract_id, version_number),
    constraint contract_versions_number_check check (version_number >= 1),
    constraint contract_versions_body_format_check check (body_format in ('markdown', 'html', 'plain')),
    constraint contract_versions_sha256_length check (octet_length(body_sha256) = 32)
);

comment on table sentinel.contract_versions is
    'One version of a contract''s text, numbered from 1. The highest number is the current version.';
comment on column sentinel.contract_versions.version_number is 'Version within the contract, from 1, without gaps.';
comment on column sentinel.contract_versions.body_format is 'markdown, html or plain.';
comment on column sentinel.contract_versions.body_sha256 is
    'SHA-256 of body in UTF-8, 32 bytes: what was sent for signature can be proved unchanged.';
comment on column sentinel.contract_versions.change_note is 'What changed from the previous version.';
comment on column sentinel.contract_versions.created_by is 'The actor who wrote this version.';

select sentinel.enable_tenant_rls('sentinel.contract_versions');
