-- A table as a downstream service would write it, following Sentinel's conventions and nothing
-- else: the generic repository must handle it with no Java registration.
create table widgets (
    tenant_id     uuid        not null references sentinel.tenants (id),
    id            uuid        not null,
    name          text        not null,
    color         text        not null default 'grey',
    quantity      integer     not null default 0,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (tenant_id, id),
    constraint widgets_quantity_non_negative check (quantity >= 0)
);
comment on table widgets is 'Test table: a downstream tenant table with soft delete and optimistic locking.';

-- Names are unique among a tenant's live widgets only: a deleted widget frees its name.
create unique index widgets_name_live_key on widgets (tenant_id, name) where deleted_at is null;

create trigger widgets_touch_updated_at before update on widgets
    for each row execute function sentinel.touch_updated_at();

alter table widgets enable row level security, force row level security;
create policy tenant_scope on widgets
    using (tenant_id = (select sentinel.current_tenant_id()))
    with check (tenant_id = (select sentinel.current_tenant_id()));
create policy system_scope on widgets
    using ((select sentinel.in_system_scope()))
    with check ((select sentinel.in_system_scope()));

-- A table without soft delete or version: the repository must simply not offer those.
create table gadgets (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    label     text not null,
    primary key (tenant_id, id)
);
comment on table gadgets is 'Test table: a downstream tenant table without soft delete or version.';
alter table gadgets enable row level security, force row level security;
create policy tenant_scope on gadgets
    using (tenant_id = (select sentinel.current_tenant_id()))
    with check (tenant_id = (select sentinel.current_tenant_id()));
create policy system_scope on gadgets
    using ((select sentinel.in_system_scope()))
    with check ((select sentinel.in_system_scope()));
