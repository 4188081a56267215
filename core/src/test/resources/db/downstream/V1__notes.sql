-- A downstream service's migration (schema public, its own history), written as docs/schema.md
-- tells services to: Sentinel's helper gives the table the same policies as Sentinel's own.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id) on delete restrict,
    id        uuid not null,
    body      text not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on table notes is 'A note of a tenant.';
select sentinel.enable_tenant_rls('notes');

-- Not a tenant table: the test calls the helper on it and expects a refusal.
create table settings (
    key   text not null primary key,
    value text not null
);
select sentinel.distribute('settings');
