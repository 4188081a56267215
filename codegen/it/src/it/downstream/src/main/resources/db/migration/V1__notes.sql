-- The service's first migration. It is V1 like Sentinel's own V1__tenancy.sql; the two never collide,
-- because this one runs in schema public with a Flyway history of its own.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    status    text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    body      text not null,
    primary key (tenant_id, id)
);
comment on table notes is '${notes_comment}';

-- Row-level security through Sentinel's functions, as every tenant table has it.
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = (select sentinel.current_tenant_id()))
    with check (tenant_id = (select sentinel.current_tenant_id()));

create table drafts (
    id   uuid primary key,
    body text
);
