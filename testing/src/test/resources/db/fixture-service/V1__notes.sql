-- A service's own migration, numbered V1 like Sentinel's first: the histories are separate. It
-- follows the schema linter's rules, which the extension checks on the template.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    body      text not null,
    primary key (tenant_id, id)
);
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
