-- The same table, fixed: Sentinel's helper creates the fail-closed policies.
create table tags (
    tenant_id uuid not null references sentinel.tenants (id),
    name      text not null,
    primary key (tenant_id, name)
);
select sentinel.distribute('tags');
select sentinel.enable_tenant_rls('tags');
select sentinel.audit_table('tags');
