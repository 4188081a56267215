-- Breaks one rule: a composite foreign key to a tenant table whose tenant column is not the
-- row's own tenant_id.
create table notes (
    tenant_id         uuid not null references sentinel.tenants (id),
    id                uuid not null,
    project_tenant_id uuid,
    project_id        uuid,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_project_fkey foreign key (project_tenant_id, project_id)
        references sentinel.jobs (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
