-- The agency's personal columns (issue 28, kernel V32): a lead is a person, and a client that is a
-- sole trader is one too. Their identifying columns are marked sentinel:personal, so that the
-- audit trail keeps them as erasable commitments and sentinel.erase_person can erase one lead or
-- one client. The generated lower-cased copies of a lead's name and address are personal too (the
-- linter requires it). The tables are attached again so that their triggers commit to these
-- columns from now on; diffs written before this version keep their values (they are sealed).
--
-- Not personal: a lead's company and notes (free text about the deal; erase such a lead's notes with
-- an update if they name them), a client's name (a company's on its invoices, which the law keeps),
-- its city, country and tax id.

comment on column agency.leads.name is 'The prospect''s name. sentinel:personal';
comment on column agency.leads.email is 'The prospect''s e-mail address. sentinel:personal';
comment on column agency.leads.phone is 'The prospect''s phone number. sentinel:personal';
comment on column agency.leads.name_lower is
    'lower(name), kept by PostgreSQL for prefix search through leads_name_search_idx (an index on lower(name) '
    'cannot serve queries under row-level security: lower() is not leakproof). sentinel:personal';
comment on column agency.leads.email_lower is
    'lower(email), kept by PostgreSQL for search and duplicate checks. sentinel:personal';
select sentinel.audit_table('agency.leads');

comment on column agency.clients.billing_email is 'Where invoices are sent. sentinel:personal';
comment on column agency.clients.address_line1 is 'First line of the billing address. sentinel:personal';
comment on column agency.clients.address_line2 is 'Second line of the billing address. sentinel:personal';
select sentinel.audit_table('agency.clients');
