-- The service's first migration. It is V1 like Sentinel's own V1__tenancy.sql; the two never collide,
-- because this one runs in schema public with a Flyway history of its own.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    status    text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    body      text not null,
    primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on table notes is '${notes_comment}';

-- Row-level security and the audit trigger through Sentinel's helpers, as every tenant table has them
-- (the plugin's schema linter checks).
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');

-- A global table: the system scope reads and writes it.
create table drafts (
    id   uuid primary key,
    body text
);
select sentinel.distribute('drafts');
select sentinel.enable_system_rls('drafts');
select sentinel.audit_table('drafts');
