-- Breaks one rule: row-level security is enabled but not forced, so the owner bypasses it.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
alter table notes no force row level security;
select sentinel.audit_table('notes');
