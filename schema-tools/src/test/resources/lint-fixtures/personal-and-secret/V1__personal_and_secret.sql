-- Breaks one rule: a column both secret and personal.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    phone     text,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_phone_sealed check (sentinel.is_secret_ciphertext(phone))
);
select sentinel.distribute('notes');
comment on column notes.phone is 'sentinel:secret The author''s phone number. sentinel:personal';
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
