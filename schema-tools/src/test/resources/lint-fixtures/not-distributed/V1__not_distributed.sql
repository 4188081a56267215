-- Breaks one rule: the table is never placed by sentinel.distribute, so on Citus it would stay a
-- local table of the coordinator.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
