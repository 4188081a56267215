-- The kernel's personal columns (issue 28): values that identify a person, which the audit trail
-- keeps as erasable commitments (V32) and sentinel.erase_person may erase. Marked by the word
-- sentinel:personal in the column's comment; the audited tables are attached again, so that
-- their triggers commit to these columns from now on. Values written to the trail before this
-- version stay in clear in those older diffs (they are sealed; docs/concepts.md says so).
--
-- Not personal here: a tenant's name (an organisation), ids (not identifying on their own),
-- secrets (encrypted and redacted already), password hashes (redacted from the tenant pool, and a
-- hash, not the person's data).

comment on column sentinel.users.email is
    'Sign-in address, unique among live users regardless of case (compared with lower()). sentinel:personal';
comment on column sentinel.users.display_name is 'The name shown for the user. sentinel:personal';
select sentinel.audit_table('sentinel.users');

-- A membership's person is its user_id (the table has no id): the audit rows of tenant_members
-- name the user as their entity from now on.
comment on column sentinel.tenant_members.invited_email is
    'The address the invitation was sent to, as the inviter wrote it; null for a member added by id. sentinel:personal';
select sentinel.audit_table('sentinel.tenant_members');

comment on column sentinel.account_lockouts.email is 'The locked address (compared with lower()). sentinel:personal';
select sentinel.audit_table('sentinel.account_lockouts');

comment on column sentinel.refresh_tokens.ip_address is
    'Client IP address at issue (IPv4 or IPv6, stored as text). sentinel:personal';
comment on column sentinel.refresh_tokens.user_agent is 'Client user agent at issue. sentinel:personal';
select sentinel.audit_table('sentinel.refresh_tokens');

-- Not audited (itself a log), but erasable row by row like the others.
comment on column sentinel.auth_attempts.email is 'The address as entered, even when no user has it. sentinel:personal';
comment on column sentinel.auth_attempts.ip_address is
    'Client IP address (IPv4 or IPv6, as PostgreSQL inet accepts it). sentinel:personal';
comment on column sentinel.auth_attempts.user_agent is 'Client user agent. sentinel:personal';
