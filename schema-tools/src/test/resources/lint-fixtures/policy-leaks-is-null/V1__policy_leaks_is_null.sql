-- Breaks one rule, as the seed system of 001_3b0b7fce3649d1a7.txt did: the tenant policy falls
-- back to every row when no tenant is set.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    body      text not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null)
    with check (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null);
create policy system_scope on notes to ${sentinel_system_role}, ${sentinel_owner_role}
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
