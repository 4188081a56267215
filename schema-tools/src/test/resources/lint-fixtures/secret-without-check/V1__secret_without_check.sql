-- Breaks one rule: a secret column without the ciphertext CHECK.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    api_token text,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on column notes.api_token is 'sentinel:secret A token the note carries.';
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
