-- A broken table: the policy lets every row through when no tenant is set, as the seed system of
-- 001_3b0b7fce3649d1a7.txt did. The plugin's schema linter must fail the build on it.
create table tags (
    tenant_id uuid not null references sentinel.tenants (id),
    name      text not null,
    primary key (tenant_id, name)
);
select sentinel.distribute('tags');
alter table tags enable row level security, force row level security;
create policy tenant_scope on tags
    using (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null)
    with check (tenant_id = sentinel.current_tenant_id() or sentinel.current_tenant_id() is null);
create policy system_scope on tags
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('tags');
