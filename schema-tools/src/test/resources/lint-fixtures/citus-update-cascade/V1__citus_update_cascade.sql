-- Breaks one rule: on update cascade (Prisma's default for every relation) is fine on plain
-- PostgreSQL, but Citus refuses it on any foreign key that contains the distribution column.
create table notes (
    tenant_id  uuid not null references sentinel.tenants (id),
    id         uuid not null,
    project_id uuid,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_project_fkey foreign key (tenant_id, project_id)
        references sentinel.jobs (tenant_id, id) on delete restrict on update cascade
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
