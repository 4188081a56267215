-- Leads, knowledge base and media (issue 10): what lead search needs, and the permissions of
-- tx.leads(), tx.knowledgeBase() and tx.media() granted to the default roles.

-- Search by the start of a name or an e-mail address, ignoring case. Under row-level security
-- PostgreSQL evaluates a query's own conditions after the policy's unless they are leakproof, and
-- only leakproof conditions become index conditions; lower() is not leakproof, so an index on
-- lower(name) can never serve a tenant's query (measured: only tenant_id reached the index). A
-- stored lower-cased copy can: starts_with (^@) and the text_pattern_ops comparisons are leakproof,
-- and text_pattern_ops turns a prefix into an index range whatever the database's collation.
alter table sentinel.leads
    add column name_lower  text generated always as (lower(name)) stored,
    add column email_lower text generated always as (lower(email)) stored;
comment on column sentinel.leads.name_lower is
    'lower(name), kept by PostgreSQL for prefix search through leads_name_search_idx (an index on lower(name) '
    'cannot serve queries under row-level security: lower() is not leakproof).';
comment on column sentinel.leads.email_lower is 'lower(email), kept by PostgreSQL for search and duplicate checks.';

create index leads_name_search_idx on sentinel.leads (tenant_id, name_lower text_pattern_ops) where deleted_at is null;
create index leads_email_search_idx on sentinel.leads (tenant_id, email_lower text_pattern_ops) where deleted_at is null;
-- Replaced by leads_email_search_idx, which also serves equality on the lower-cased address.
drop index sentinel.leads_email_idx;


-- Permissions. admin holds them all; staff does the day-to-day work but deletes nothing; viewer
-- writes nothing. A service changes the grants with tx.roles().define(...).
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
