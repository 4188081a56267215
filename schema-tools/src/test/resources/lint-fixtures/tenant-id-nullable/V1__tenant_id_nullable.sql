-- Breaks one rule: tenant_id is nullable, so the table can hold global rows. (A primary key would
-- force not null, so the key is a unique constraint; enable_tenant_rls refuses such a table, so
-- the policies are written out as it would write them.)
create table notes (
    tenant_id uuid references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_key unique (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = sentinel.current_tenant_id())
    with check (tenant_id = sentinel.current_tenant_id());
create policy system_scope on notes to ${sentinel_system_role}, ${sentinel_owner_role}
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
