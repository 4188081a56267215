-- Breaks one rule: a partial unique index (slugs among live notes) without tenant_id in front, so
-- two tenants could never both have a note called "welcome".
create table notes (
    tenant_id  uuid not null references sentinel.tenants (id),
    id         uuid not null,
    slug       text not null,
    deleted_at timestamptz,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
create unique index notes_slug_live_key on notes (slug) where deleted_at is null;
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
