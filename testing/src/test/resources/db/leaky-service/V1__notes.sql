-- Breaks a schema lint rule on purpose: the policy lets every row through when no tenant is set,
-- as the seed system of 001_3b0b7fce3649d1a7.txt did.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null);
create policy system_scope on notes using (sentinel.in_system_scope());
select sentinel.audit_table('notes');
