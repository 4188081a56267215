-- The service's first migration, edited: notes gets a title, drafts is gone, labels is new.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    status    text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    title     text,
    body      text not null,
    primary key (tenant_id, id)
);
comment on table notes is '${notes_comment}';

alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = (select sentinel.current_tenant_id()))
    with check (tenant_id = (select sentinel.current_tenant_id()));

create table labels (
    tenant_id uuid not null references sentinel.tenants (id),
    name      text not null,
    primary key (tenant_id, name)
);
