-- Breaks one rule, as every table did before the system scope had its own role (kernel V25): the
-- system_scope policy applies to every role, so the application role has two permissive policies,
-- which PostgreSQL ORs, and the planner cannot use the tenant's as an index condition.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    body      text not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = sentinel.current_tenant_id())
    with check (tenant_id = sentinel.current_tenant_id());
create policy system_scope on notes
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
