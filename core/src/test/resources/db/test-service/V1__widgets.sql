-- Tables as a downstream service would write them, following Sentinel's conventions and calling
-- Sentinel's helpers, and nothing else: the generic repository must handle them with no Java
-- registration.
create table widgets (
    tenant_id     uuid        not null references sentinel.tenants (id),
    id            uuid        not null,
    name          text        not null,
    color         text        not null default 'grey',
    quantity      integer     not null default 0,
    secret_note   text,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (tenant_id, id),
    constraint widgets_quantity_non_negative check (quantity >= 0),
    constraint widgets_secret_note_sealed check (sentinel.is_secret_ciphertext(secret_note))
);
select sentinel.distribute('widgets');
comment on table widgets is 'Test table: a downstream tenant table with soft delete, optimistic locking, a secret and an audit trail.';
comment on column widgets.secret_note is 'sentinel:secret A sealed note: redacted from audit diffs.';

-- Names are unique among a tenant's live widgets only: a deleted widget frees its name.
create unique index widgets_name_live_key on widgets (tenant_id, name) where deleted_at is null;

create trigger widgets_touch_updated_at before update on widgets
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('widgets');
select sentinel.audit_table('widgets');

-- A table without soft delete, version or audit: the repository must simply not offer those.
create table gadgets (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    label     text not null,
    primary key (tenant_id, id)
);
select sentinel.distribute('gadgets');
comment on table gadgets is 'Test table: a downstream tenant table without soft delete, version or audit. sentinel:unaudited the repository must work on tables without an audit trail too.';
select sentinel.enable_tenant_rls('gadgets');
