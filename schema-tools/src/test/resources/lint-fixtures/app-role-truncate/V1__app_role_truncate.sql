-- Breaks one rule: the application role may TRUNCATE, which ignores row-level security.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
grant truncate on notes to ${sentinel_app_role};
