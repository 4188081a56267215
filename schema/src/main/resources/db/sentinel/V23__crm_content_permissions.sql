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
