-- Breaks one rule: the column is marked secret after the audit trigger was attached, so the
-- trigger does not redact it.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    api_token text,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_api_token_sealed check (sentinel.is_secret_ciphertext(api_token))
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
comment on column notes.api_token is 'sentinel:secret A token the note carries.';
