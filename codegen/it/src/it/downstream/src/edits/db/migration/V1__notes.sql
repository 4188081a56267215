-- The service's first migration, edited: notes gets a title, drafts is gone, labels is new.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    status    text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    title     text,
    body      text not null,
    primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on table notes is '${notes_comment}';
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');

create table labels (
    tenant_id uuid not null references sentinel.tenants (id),
    name      text not null,
    primary key (tenant_id, name)
);
select sentinel.distribute('labels');
select sentinel.enable_tenant_rls('labels');
select sentinel.audit_table('labels');
