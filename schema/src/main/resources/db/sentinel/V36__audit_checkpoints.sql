-- Signed checkpoints of the audit chain (issue #28). The chain's links are HMACs under a key only
-- the service holds: a customer given that key could forge them, so they cannot check an exported
-- trail with it. A checkpoint commits to the chain up to one link with a digest that anyone can
-- recompute from the rows' canonical texts (a SHA-256 hash chain, in chain order) and signs it
-- with an Ed25519 key pair held outside the database; its public key is all a verifier needs.
-- Audit retention removes the rows before a retention checkpoint, and verification starts from it.
create table sentinel.audit_checkpoint (
    tenant_id  uuid        not null,
    id         uuid        not null,
    purpose    text        not null,
    position   bigint      not null,
    chain_hash text        not null,
    digest     text        not null,
    key_id     text        not null,
    signed_at  timestamptz not null,
    signature  text        not null,
    constraint audit_checkpoint_pkey primary key (tenant_id, id),
    constraint audit_checkpoint_tenant_fkey foreign key (tenant_id) references sentinel.tenants (id) on delete restrict,
    constraint audit_checkpoint_purpose_check check (purpose in ('checkpoint', 'retention')),
    constraint audit_checkpoint_position_check check (position >= 0),
    constraint audit_checkpoint_chain_hash_format check (chain_hash ~ '^[0-9a-f]{64}$'),
    constraint audit_checkpoint_digest_format check (digest ~ '^[0-9a-f]{64}$'),
    constraint audit_checkpoint_key_id_format check (key_id ~ '^[A-Za-z0-9_.-]{1,32}$')
);
select sentinel.distribute('sentinel.audit_checkpoint');

comment on table sentinel.audit_checkpoint is
    'Signed checkpoints of each tenant''s audit chain: what a party without the chain''s HMAC key verifies with the '
    'public key alone. Append-only. sentinel:unaudited it seals the audit trail, which is audited already.';
comment on column sentinel.audit_checkpoint.purpose is
    'checkpoint (taken for an export or on request) or retention (the rows up to it were removed; verification starts here).';
comment on column sentinel.audit_checkpoint.position is 'The chain position it commits to (0: an empty chain).';
comment on column sentinel.audit_checkpoint.chain_hash is 'The HMAC of the link at that position, where verification in the database resumes.';
comment on column sentinel.audit_checkpoint.digest is
    'Hex SHA-256 hash chain over the canonical texts of the rows up to that position: digest(n) = sha256(digest(n-1) || newline || canonical(n)).';
comment on column sentinel.audit_checkpoint.key_id is 'Id of the signing key pair; the service keeps retired public keys to verify old checkpoints.';
comment on column sentinel.audit_checkpoint.signed_at is 'When the service signed it (part of the signed text).';
comment on column sentinel.audit_checkpoint.signature is 'Base64 Ed25519 signature over the checkpoint''s signed text.';

create index audit_checkpoint_position_idx on sentinel.audit_checkpoint (tenant_id, position);

create trigger audit_checkpoint_append_only
    before update or delete or truncate on sentinel.audit_checkpoint
    for each statement execute function sentinel.reject_modification();
select sentinel.enable_tenant_rls('sentinel.audit_checkpoint');
revoke update, delete, truncate on sentinel.audit_checkpoint from ${sentinel_app_role};
