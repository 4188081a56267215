-- A service's table of people, shaped like a CRM's contacts: personal columns (one NOT NULL, so
-- erasure writes its placeholder there; one with a generated lower-cased copy, personal too) next
-- to columns that are not personal. ErasureTest erases one contact and searches the whole
-- database for their values; docs/concepts.md ("Erasure of a person") shows this table.
create table contacts (
    tenant_id   uuid        not null references sentinel.tenants (id),
    id          uuid        not null,
    name        text        not null,
    email       text,
    phone       text,
    stage       text        not null default 'new',
    score       integer     not null default 0,
    email_lower text        generated always as (lower(email)) stored,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, id)
);
select sentinel.distribute('contacts');
comment on table contacts is 'Test table: a downstream tenant table of people with personal columns.';
comment on column contacts.name is 'The contact''s full name. sentinel:personal';
comment on column contacts.email is 'sentinel:personal';
comment on column contacts.phone is 'sentinel:personal';
comment on column contacts.email_lower is 'lower(email), for search. sentinel:personal';
select sentinel.enable_tenant_rls('contacts');
select sentinel.audit_table('contacts');   -- after the comments: it reads the personal columns now
