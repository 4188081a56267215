-- Breaks one rule: no row-level security at all.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.audit_table('notes');
