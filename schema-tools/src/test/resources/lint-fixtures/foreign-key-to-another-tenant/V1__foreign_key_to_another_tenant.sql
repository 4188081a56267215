-- Breaks one rule: a foreign key to sentinel.tenants from a column other than tenant_id, so a
-- row of one tenant points at another tenant.
create table notes (
    tenant_id   uuid not null references sentinel.tenants (id),
    id          uuid not null,
    shared_with uuid references sentinel.tenants (id),
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
