-- CRM and content: sales leads, the knowledge base, and uploaded media. Tenant tables.

create table sentinel.leads (
    tenant_id     uuid        not null,
    id            uuid        not null,
    name          text        not null,
    email         text,
    phone         text,
    company       text,
    source        text        not null default 'other',
    status        text        not null default 'new',
    notes         text,
    assigned_to   uuid,
    client_id     uuid,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint leads_pkey primary key (tenant_id, id),
    constraint leads_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- When the owner leaves the tenant the lead stays, unassigned.
    constraint leads_assignee_fkey foreign key (tenant_id, assigned_to)
        references sentinel.tenant_members (tenant_id, user_id) on delete set null (assigned_to),
    constraint leads_client_fkey foreign key (tenant_id, client_id)
        references sentinel.clients (tenant_id, id) on delete set null (client_id),
    constraint leads_name_length check (char_length(name) between 1 and 200),
    constraint leads_email_format check (char_length(email) <= 320 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint leads_source_check check (source in ('website', 'referral', 'email', 'event', 'import', 'other')),
    constraint leads_status_check check (status in ('new', 'contacted', 'qualified', 'proposal', 'won', 'lost')),
    constraint leads_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);

comment on table sentinel.leads is 'A sales prospect in the tenant''s inbox.';
comment on column sentinel.leads.source is 'Where the lead came from: website, referral, email, event, import or other.';
comment on column sentinel.leads.status is 'new, contacted, qualified, proposal, won or lost.';
comment on column sentinel.leads.assigned_to is 'The member who owns the lead; null when unassigned.';
comment on column sentinel.leads.client_id is 'The client the lead became, once won.';
comment on column sentinel.leads.deleted_at is 'Soft-delete time; null while the lead is live.';
comment on column sentinel.leads.deleted_by is 'The actor who soft-deleted the lead.';
comment on column sentinel.leads.delete_reason is 'Why the lead was soft-deleted, for example duplicate.';

create index leads_status_idx on sentinel.leads (tenant_id, status, created_at desc);
create index leads_email_idx on sentinel.leads (tenant_id, lower(email));
create index leads_assignee_idx on sentinel.leads (tenant_id, assigned_to);
create index leads_client_idx on sentinel.leads (tenant_id, client_id);

create trigger leads_touch_updated_at
    before update on sentinel.leads
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.leads');


create table sentinel.kb_documents (
    tenant_id     uuid        not null,
    id            uuid        not null,
    slug          text        not null,
    title         text        not null,
    body          text        not null default '',
    status        text        not null default 'draft',
    tags          text[]      not null default '{}',
    published_at  timestamptz,
    created_by    uuid,
    version       integer     not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint kb_documents_pkey primary key (tenant_id, id),
    constraint kb_documents_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint kb_documents_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,127}$'),
    constraint kb_documents_title_length check (char_length(title) between 1 and 300),
    constraint kb_documents_status_check check (status in ('draft', 'published', 'archived')),
    constraint kb_documents_published_check check (status <> 'published' or published_at is not null),
    constraint kb_documents_tags_check check (array_position(tags, null) is null),
    constraint kb_documents_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);

comment on table sentinel.kb_documents is 'A knowledge-base document of the tenant.';
comment on column sentinel.kb_documents.slug is 'URL-safe name, unique among the tenant''s live documents.';
comment on column sentinel.kb_documents.status is 'draft, published or archived.';
comment on column sentinel.kb_documents.tags is 'Free-form tags; no null elements.';
comment on column sentinel.kb_documents.published_at is 'When the document was first published; required while published.';
comment on column sentinel.kb_documents.created_by is 'The actor who created the document.';
comment on column sentinel.kb_documents.version is 'Optimistic-locking version, incremented on every update.';
comment on column sentinel.kb_documents.deleted_at is 'Soft-delete time; null while the document is live.';
comment on column sentinel.kb_documents.deleted_by is 'The actor who soft-deleted the document.';
comment on column sentinel.kb_documents.delete_reason is 'Why the document was soft-deleted.';

create unique index kb_documents_slug_live_key on sentinel.kb_documents (tenant_id, slug) where deleted_at is null;
create index kb_documents_status_idx on sentinel.kb_documents (tenant_id, status);

create trigger kb_documents_touch_updated_at
    before update on sentinel.kb_documents
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.kb_documents');


create table sentinel.media_assets (
    tenant_id     uuid        not null,
    id            uuid        not null,
    project_id    uuid,
    file_name     text        not null,
    content_type  text        not null,
    byte_size     bigint      not null,
    storage_key   text        not null,
    sha256        bytea,
    visibility    text        not null default 'private',
    alt_text      text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint media_assets_pkey primary key (tenant_id, id),
    constraint media_assets_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- The file outlives the project it was uploaded for; it stays with the tenant.
    constraint media_assets_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete set null (project_id),
    -- Not only among live rows: the stored object of a soft-deleted asset still exists.
    constraint media_assets_storage_key_key unique (tenant_id, storage_key),
    constraint media_assets_file_name_length check (char_length(file_name) between 1 and 255),
    constraint media_assets_content_type_format check (content_type ~ '^[a-z0-9.+-]+/[A-Za-z0-9.+_-]+$'),
    constraint media_assets_byte_size_check check (byte_size >= 0),
    constraint media_assets_sha256_length check (octet_length(sha256) = 32),
    constraint media_assets_visibility_check check (visibility in ('public', 'portal', 'private')),
    constraint media_assets_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);

comment on table sentinel.media_assets is 'An uploaded file of the tenant; the bytes live in object storage.';
comment on column sentinel.media_assets.project_id is 'The project the file belongs to, if any.';
comment on column sentinel.media_assets.content_type is 'MIME type, for example image/png.';
comment on column sentinel.media_assets.byte_size is 'Size of the stored object in bytes.';
comment on column sentinel.media_assets.storage_key is 'Key of the object in the tenant''s storage bucket; unique within the tenant.';
comment on column sentinel.media_assets.sha256 is 'SHA-256 of the content, 32 bytes, if computed.';
comment on column sentinel.media_assets.visibility is
    'Who may fetch it: public (anyone with the link), portal (the tenant''s clients in the portal) or private (members only).';
comment on column sentinel.media_assets.deleted_at is 'Soft-delete time; null while the asset is live.';
comment on column sentinel.media_assets.deleted_by is 'The actor who soft-deleted the asset.';
comment on column sentinel.media_assets.delete_reason is 'Why the asset was soft-deleted.';

create index media_assets_project_idx on sentinel.media_assets (tenant_id, project_id);

create trigger media_assets_touch_updated_at
    before update on sentinel.media_assets
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.media_assets');
