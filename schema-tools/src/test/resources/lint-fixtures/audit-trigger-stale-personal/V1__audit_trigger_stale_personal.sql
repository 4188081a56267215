-- Breaks one rule: the column is marked personal after the audit trigger was attached, so the
-- trigger writes its values into the trail in clear, where erasure cannot reach them.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    email     text,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
comment on column notes.email is 'Who wrote the note. sentinel:personal';
