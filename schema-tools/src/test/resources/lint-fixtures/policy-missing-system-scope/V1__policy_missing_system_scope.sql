-- Breaks one rule: the tenant policy alone, so the system scope (cross-tenant work, always
-- audited) sees none of the table.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = sentinel.current_tenant_id())
    with check (tenant_id = sentinel.current_tenant_id());
select sentinel.audit_table('notes');
