-- Breaks one rule: the audit trigger is there but disabled.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
alter table notes disable trigger sentinel_audit;
