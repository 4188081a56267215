-- A service's own migration, numbered V1 like Sentinel's first: the histories are separate. It
-- follows the schema linter's rules, which the extension checks on the template. docs/schema.md
-- shows it as the example of a downstream migration.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id) on delete restrict,
    id        uuid not null,
    body      text not null,
    primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on table notes is 'A note of a tenant.';
select sentinel.enable_tenant_rls('notes');   -- forced RLS, tenant_scope and system_scope
select sentinel.audit_table('notes');         -- the audit trigger, secrets redacted
