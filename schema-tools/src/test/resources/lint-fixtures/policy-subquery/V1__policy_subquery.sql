-- Breaks one rule: the policies are right, but wrap the scope functions in subqueries (a common
-- plain-PostgreSQL idiom to evaluate them once), which Citus refuses in a policy.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = (select sentinel.current_tenant_id()))
    with check (tenant_id = sentinel.current_tenant_id());
create policy system_scope on notes to ${sentinel_system_role}, ${sentinel_owner_role}
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
