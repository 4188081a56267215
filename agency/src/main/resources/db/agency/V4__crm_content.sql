-- CRM and content: sales leads, the knowledge base, and uploaded media. Tenant tables, audited.

create table agency.leads (
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
    name_lower    text        generated always as (lower(name)) stored,
    email_lower   text        generated always as (lower(email)) stored,
    constraint leads_pkey primary key (tenant_id, id),
    constraint leads_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A membership row is deleted when its user is erased; the trigger
    -- tenant_members_unassign_leads clears the link first, and the lead stays, unassigned.
    -- Restrict, not set null: Citus refuses SET NULL on a key that includes tenant_id.
    constraint leads_assignee_fkey foreign key (tenant_id, assigned_to)
        references sentinel.tenant_members (tenant_id, user_id) on delete restrict,
    -- Clients are soft-deleted, so the link stays. Restrict, not set null: a purge of the client
    -- clears its links first (Citus refuses SET NULL on a key that includes tenant_id).
    constraint leads_client_fkey foreign key (tenant_id, client_id)
        references agency.clients (tenant_id, id) on delete restrict,
    constraint leads_name_length check (char_length(name) between 1 and 200),
    constraint leads_email_format check (char_length(email) <= 320 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint leads_source_check check (source in ('website', 'referral', 'email', 'event', 'import', 'other')),
    constraint leads_status_check check (status in ('new', 'contacted', 'qualified', 'proposal', 'won', 'lost')),
    constraint leads_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.leads');

comment on table agency.leads is 'A sales prospect in the tenant''s inbox.';
comment on column agency.leads.source is
    'Where the lead came from: website (a form on the tenant''s website), referral, email, event, import (from a '
    'file or another system) or other (the default). sentinel:enum LeadSource';
comment on column agency.leads.status is
    'Where the lead stands in the pipeline: new (nobody has replied yet; the default), contacted, qualified '
    '(need, budget and timing confirmed), proposal (a proposal or quote is out), won (became a client; set '
    'by conversion only; final) or lost (may be reopened as new). sentinel:enum LeadStatus';
comment on column agency.leads.assigned_to is
    'The member who owns the lead; null when unassigned. Cleared when the membership row is deleted.';
comment on column agency.leads.client_id is 'The client the lead became, once won.';
comment on column agency.leads.deleted_at is 'Soft-delete time; null while the lead is live.';
comment on column agency.leads.deleted_by is 'The actor who soft-deleted the lead.';
comment on column agency.leads.delete_reason is 'Why the lead was soft-deleted, for example duplicate.';
-- Search by the start of a name or an e-mail address, ignoring case. Under row-level security
-- PostgreSQL evaluates a query's own conditions after the policy's unless they are leakproof, and
-- only leakproof conditions become index conditions; lower() is not leakproof, so an index on
-- lower(name) can never serve a tenant's query (measured: only tenant_id reached the index). A
-- stored lower-cased copy can: starts_with (^@) and the text_pattern_ops comparisons are leakproof,
-- and text_pattern_ops turns a prefix into an index range whatever the database's collation.
comment on column agency.leads.name_lower is
    'lower(name), kept by PostgreSQL for prefix search through leads_name_search_idx (an index on lower(name) '
    'cannot serve queries under row-level security: lower() is not leakproof).';
comment on column agency.leads.email_lower is 'lower(email), kept by PostgreSQL for search and duplicate checks.';

create index leads_status_idx on agency.leads (tenant_id, status, created_at desc);
create index leads_assignee_idx on agency.leads (tenant_id, assigned_to);
create index leads_client_idx on agency.leads (tenant_id, client_id);
create index leads_name_search_idx on agency.leads (tenant_id, name_lower text_pattern_ops) where deleted_at is null;
-- Serves equality on the lower-cased address as well as prefix search.
create index leads_email_search_idx on agency.leads (tenant_id, email_lower text_pattern_ops) where deleted_at is null;

create trigger leads_touch_updated_at
    before update on agency.leads
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.leads');
select sentinel.audit_table('agency.leads');

-- A membership row is hard-deleted when its user is erased (the cascade from sentinel.users); a
-- removal in normal operation keeps the row (status removed) and the lead keeps its owner. The
-- lead outlives the membership, unassigned: this trigger clears the link, which SET NULL on the
-- foreign key used to do (Citus refuses SET NULL on a key that includes tenant_id, and a plain SET
-- NULL would null tenant_id too). BEFORE DELETE, because the foreign key is checked when the row
-- goes, so the link must be gone by then. Within the cascade from users PostgreSQL runs the delete
-- as the owner of tenant_members (who owns leads too) with row-level security not forced, so every
-- lead of the membership is reached; a direct delete runs in the caller's scope, and a lead it
-- cannot see still blocks the delete (fail closed). The update is audited like any other.
create function agency.unassign_member_leads() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    update agency.leads set assigned_to = null where tenant_id = old.tenant_id and assigned_to = old.user_id;
    return old;
end
$$;
comment on function agency.unassign_member_leads() is
    'BEFORE DELETE row trigger of sentinel.tenant_members: unassigns the member''s leads in that tenant, so that '
    'the membership row can go (leads_assignee_fkey is restrict).';

create trigger tenant_members_unassign_leads
    before delete on sentinel.tenant_members
    for each row execute function agency.unassign_member_leads();


create table agency.kb_documents (
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
select sentinel.distribute('agency.kb_documents');

comment on table agency.kb_documents is 'A knowledge-base document of the tenant.';
comment on column agency.kb_documents.slug is 'URL-safe name, unique among the tenant''s live documents.';
comment on column agency.kb_documents.status is
    'The life cycle: draft (being written, not shown to readers; the default), published (shown to '
    'readers) or archived (withdrawn, kept read-only; may be published again). sentinel:enum KbStatus';
comment on column agency.kb_documents.tags is 'Free-form tags; no null elements.';
comment on column agency.kb_documents.published_at is 'When the document was first published; required while published.';
comment on column agency.kb_documents.created_by is 'The actor who created the document.';
comment on column agency.kb_documents.version is 'Optimistic-locking version, incremented on every update.';
comment on column agency.kb_documents.deleted_at is 'Soft-delete time; null while the document is live.';
comment on column agency.kb_documents.deleted_by is 'The actor who soft-deleted the document.';
comment on column agency.kb_documents.delete_reason is 'Why the document was soft-deleted.';

create unique index kb_documents_slug_live_key on agency.kb_documents (tenant_id, slug) where deleted_at is null;
create index kb_documents_status_idx on agency.kb_documents (tenant_id, status);

create trigger kb_documents_touch_updated_at
    before update on agency.kb_documents
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.kb_documents');
select sentinel.audit_table('agency.kb_documents');


create table agency.media_assets (
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
    -- The file outlives the project it was uploaded for. Projects are soft-deleted, so the link
    -- stays. Restrict, not set null: a purge of the project clears its links first (Citus refuses
    -- SET NULL on a key that includes tenant_id).
    constraint media_assets_project_fkey foreign key (tenant_id, project_id)
        references agency.projects (tenant_id, id) on delete restrict,
    -- Not only among live rows: the stored object of a soft-deleted asset still exists.
    constraint media_assets_storage_key_key unique (tenant_id, storage_key),
    constraint media_assets_file_name_length check (char_length(file_name) between 1 and 255),
    constraint media_assets_content_type_format check (content_type ~ '^[a-z0-9.+-]+/[A-Za-z0-9.+_-]+$'),
    constraint media_assets_byte_size_check check (byte_size >= 0),
    constraint media_assets_sha256_length check (octet_length(sha256) = 32),
    constraint media_assets_visibility_check check (visibility in ('public', 'portal', 'private')),
    constraint media_assets_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.media_assets');

comment on table agency.media_assets is 'An uploaded file of the tenant; the bytes live in object storage.';
comment on column agency.media_assets.project_id is 'The project the file belongs to, if any.';
comment on column agency.media_assets.content_type is 'MIME type, for example image/png.';
comment on column agency.media_assets.byte_size is 'Size of the stored object in bytes.';
comment on column agency.media_assets.storage_key is 'Key of the object in the tenant''s storage bucket; unique within the tenant.';
comment on column agency.media_assets.sha256 is 'SHA-256 of the content, 32 bytes, if computed.';
comment on column agency.media_assets.visibility is
    'Who may fetch it: public (anyone with the link), portal (the tenant''s clients in the portal, and '
    'its members) or private (members only; the default). sentinel:enum MediaVisibility';
comment on column agency.media_assets.deleted_at is 'Soft-delete time; null while the asset is live.';
comment on column agency.media_assets.deleted_by is 'The actor who soft-deleted the asset.';
comment on column agency.media_assets.delete_reason is 'Why the asset was soft-deleted.';

create index media_assets_project_idx on agency.media_assets (tenant_id, project_id);

create trigger media_assets_touch_updated_at
    before update on agency.media_assets
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.media_assets');
select sentinel.audit_table('agency.media_assets');


-- The permissions of tx.leads(), tx.knowledgeBase() and tx.media(), granted to the kernel's default
-- tenant roles: admin holds them all; staff does the day-to-day work but deletes nothing; viewer
-- writes nothing. A service changes the grants with tx.roles().define(...). Global rows, written in
-- the system scope.
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'lead:create', 'Create leads in the tenant''s inbox.'),
       (gen_random_uuid(), 'lead:update', 'Move a lead through the pipeline (new, contacted, qualified, proposal, lost).'),
       (gen_random_uuid(), 'lead:assign', 'Assign a lead to a member, or unassign it.'),
       (gen_random_uuid(), 'lead:convert', 'Convert a lead into a client (creating the client, or linking an existing one).'),
       (gen_random_uuid(), 'lead:delete', 'Soft-delete leads.'),
       (gen_random_uuid(), 'kb_document:create', 'Create knowledge-base drafts.'),
       (gen_random_uuid(), 'kb_document:update', 'Edit knowledge-base drafts and published documents.'),
       (gen_random_uuid(), 'kb_document:publish', 'Publish knowledge-base documents (drafts, or archived ones again).'),
       (gen_random_uuid(), 'kb_document:archive', 'Archive published knowledge-base documents.'),
       (gen_random_uuid(), 'kb_document:delete', 'Soft-delete knowledge-base documents.'),
       (gen_random_uuid(), 'media:upload', 'Register uploaded media assets.'),
       (gen_random_uuid(), 'media:update', 'Change the visibility of media assets.'),
       (gen_random_uuid(), 'media:delete', 'Soft-delete media assets.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('lead:create', 'lead:update', 'lead:assign', 'lead:convert', 'lead:delete',
                                           'kb_document:create', 'kb_document:update', 'kb_document:publish',
                                           'kb_document:archive', 'kb_document:delete',
                                           'media:upload', 'media:update', 'media:delete')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('lead:create', 'lead:update', 'lead:assign', 'lead:convert',
                                           'kb_document:create', 'kb_document:update', 'kb_document:publish',
                                           'kb_document:archive',
                                           'media:upload', 'media:update')
 where r.key = 'staff';

set local sentinel.scope = '';
