-- Follows every rule, in the variety a service writes: the baseline each other fixture departs
-- from once, and a guard against false findings.
create table notes (
    tenant_id  uuid not null references sentinel.tenants (id) on delete restrict,
    id         uuid not null,
    project_id uuid,
    slug       text not null,
    body       text not null,
    api_token  text,
    deleted_at timestamptz,
    constraint notes_pkey primary key (tenant_id, id),
    -- Composite, and cascade (not set null, not even of project_id alone: Citus refuses it).
    constraint notes_project_fkey foreign key (tenant_id, project_id)
        references sentinel.jobs (tenant_id, id) on delete cascade,
    constraint notes_api_token_sealed check (sentinel.is_secret_ciphertext(api_token))
);
select sentinel.distribute('notes');
comment on table notes is 'A note of a tenant.';
comment on column notes.api_token is 'sentinel:secret A token the note carries.';
create unique index notes_slug_live_key on notes (tenant_id, slug) where deleted_at is null;
-- Indexes that are not unique may lead with anything.
create index notes_body_idx on notes (body);
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');

-- A link table whose key is (tenant_id, ...), referencing a tenant table with the columns reversed.
create table note_links (
    tenant_id uuid not null references sentinel.tenants (id),
    note_id   uuid not null,
    url       text not null,
    constraint note_links_pkey primary key (tenant_id, note_id, url),
    constraint note_links_note_fkey foreign key (note_id, tenant_id) references notes (id, tenant_id) on delete cascade
);
select sentinel.distribute('note_links');
comment on table note_links is 'A link in a note. sentinel:unaudited rebuilt from the note''s body on every edit.';
select sentinel.enable_tenant_rls('note_links');

-- A global table: no tenant_id, the system scope writes it, every scope reads it.
create table note_formats (
    key  text not null primary key,
    name text not null
);
select sentinel.distribute('note_formats');
comment on table note_formats is 'Formats a note can have: reference data.';
select sentinel.enable_system_rls('note_formats');
create policy readable on note_formats for select using (true);
select sentinel.audit_table('note_formats');

-- Personal columns that erasure can erase: a NOT NULL text (it takes the placeholder), a nullable
-- one and its generated copy, personal too; attached after the comments.
create table note_authors (
    tenant_id   uuid not null references sentinel.tenants (id),
    id          uuid not null,
    name        text not null,
    email       text,
    email_lower text generated always as (lower(email)) stored,
    constraint note_authors_pkey primary key (tenant_id, id)
);
select sentinel.distribute('note_authors');
comment on column note_authors.name is 'The author''s name. sentinel:personal';
comment on column note_authors.email is 'sentinel:personal';
comment on column note_authors.email_lower is 'lower(email). sentinel:personal';
select sentinel.enable_tenant_rls('note_authors');
select sentinel.audit_table('note_authors');
