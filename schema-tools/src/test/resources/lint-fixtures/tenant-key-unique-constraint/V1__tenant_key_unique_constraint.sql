-- Breaks one rule: the unique constraint includes tenant_id, but does not lead with it.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    slug      text not null,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_slug_key unique (slug, tenant_id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
