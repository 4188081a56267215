-- Breaks one rule: the primary key is (id), not (tenant_id, id).
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    body      text not null,
    constraint notes_pkey primary key (id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
