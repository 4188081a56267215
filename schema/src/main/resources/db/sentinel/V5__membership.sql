-- Membership: which users belong to which tenant, and the credentials that act inside one tenant
-- (API keys, refresh tokens). All tenant tables. Also the policy through which a tenant sees its
-- members' user rows.

-- An invitation is a membership not yet accepted; a removed member keeps the row (the history of
-- who belonged) while their grants and sessions are deleted with the removal.
create table sentinel.tenant_members (
    tenant_id  uuid        not null,
    user_id    uuid        not null,
    role       text        not null default 'member',
    seat_type  text        not null default 'free_beta',
    status     text        not null default 'active',
    invited_by uuid,
    joined_at  timestamptz default now(),
    removed_at timestamptz,
    removed_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint tenant_members_pkey primary key (tenant_id, user_id),
    constraint tenant_members_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Erasing a user ends their memberships (and, through them, their grants and tokens).
    constraint tenant_members_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete cascade,
    constraint tenant_members_role_check check (role in ('owner', 'admin', 'member', 'guest')),
    constraint tenant_members_seat_type_check check (seat_type in ('free_beta', 'pro', 'enterprise')),
    constraint tenant_members_status_check check (status in ('invited', 'active', 'removed')),
    constraint tenant_members_joined_check check (status = 'invited' or joined_at is not null),
    constraint tenant_members_removed_check check ((status = 'removed') = (removed_at is not null))
);
select sentinel.distribute('sentinel.tenant_members');

comment on table sentinel.tenant_members is
    'Membership of a user in a tenant. A user row is visible to a tenant only through this table. '
    'Removal keeps the row (status removed) and deletes the member''s grants and sessions.';
comment on column sentinel.tenant_members.role is
    'Coarse membership role, for display and billing: owner, admin, member (the default) or guest (such as a '
    'client''s contact). Fine-grained permissions come from tenant_role_assignments. sentinel:enum MembershipRole';
comment on column sentinel.tenant_members.seat_type is
    'Billed seat: free_beta (the default), pro or enterprise. sentinel:enum SeatType';
comment on column sentinel.tenant_members.status is
    'invited (not yet accepted), active, or removed (the row stays as history; grants and sessions are gone). '
    'Only an active member''s grants count. sentinel:enum MemberStatus';
comment on column sentinel.tenant_members.invited_by is 'The actor who invited the user.';
comment on column sentinel.tenant_members.joined_at is 'When the user joined (accepted); null while invited.';
comment on column sentinel.tenant_members.removed_at is 'When the member was removed; null otherwise.';
comment on column sentinel.tenant_members.removed_by is 'The actor who removed the member.';

create trigger tenant_members_touch_updated_at
    before update on sentinel.tenant_members
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.tenant_members');
select sentinel.audit_table('sentinel.tenant_members');

-- A tenant reads the user rows of its members; writing users stays in the system scope (V4). The
-- policy calls this function rather than holding the subquery itself, because Citus refuses a
-- policy with a subquery. Plain SQL, stable and without a SET clause, so that the planner may
-- inline it where it can (PostgreSQL does not inline a scalar function whose body holds a
-- subquery, so today it runs once per user row: one probe of tenant_members' primary key). It reads
-- tenant_members through that table's own policies, which never read users, so the policies cannot
-- recurse. No tenant set: the comparison is with null, and no user is visible.
create function sentinel.is_current_tenant_member(p_user_id uuid) returns boolean
    language sql stable
    as $$
    select exists (select from sentinel.tenant_members
                   where tenant_id = sentinel.current_tenant_id() and user_id = p_user_id)
$$;
comment on function sentinel.is_current_tenant_member(uuid) is
    'Whether the user is a member (any status) of the current tenant; false with no tenant set. The users '
    'table''s tenant_members_read policy calls it.';

create policy tenant_members_read on sentinel.users for select
    using (sentinel.is_current_tenant_member(id));


create table sentinel.api_keys (
    tenant_id     uuid        not null,
    id            uuid        not null,
    resource_type text,
    resource_id   uuid,
    name          text        not null,
    key_prefix    text        not null,
    key_hash      bytea       not null,
    scopes        text[]      not null default '{}',
    created_by    uuid,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    uuid,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint api_keys_pkey primary key (tenant_id, id),
    constraint api_keys_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- The foreign key to resource_types is added by V6, where resource_types is created.
    constraint api_keys_prefix_key unique (tenant_id, key_prefix),
    constraint api_keys_name_length check (char_length(name) between 1 and 200),
    constraint api_keys_prefix_format check (key_prefix ~ '^[A-Za-z0-9_-]{8,32}$'),
    constraint api_keys_hash_length check (octet_length(key_hash) = 32),
    constraint api_keys_revoke_check check (revoked_by is null or revoked_at is not null),
    -- Narrowed to one resource (both set) or valid across the tenant (both null).
    constraint api_keys_resource_check check ((resource_type is null) = (resource_id is null))
);
select sentinel.distribute('sentinel.api_keys');

comment on table sentinel.api_keys is
    'An API key of a tenant, optionally narrowed to one resource of it. Only a hash is stored; the key '
    'as presented names its tenant, so the lookup by (tenant_id, key_prefix) runs in that tenant''s scope.';
comment on column sentinel.api_keys.resource_type is
    'The kind of resource the key is narrowed to (resource_types.key); null for a key valid across the tenant.';
comment on column sentinel.api_keys.resource_id is
    'The id of the resource the key is narrowed to; null for a key valid across the tenant. When the resource '
    'is deleted, the key is deleted with it (sentinel.revoke_resource_grants).';
comment on column sentinel.api_keys.key_prefix is
    'The first characters of the key, stored in clear to find the row; unique within the tenant.';
comment on column sentinel.api_keys.key_hash is
    'SHA-256 (or keyed HMAC-SHA-256) digest of the whole key, 32 bytes; the key itself is never stored.';
comment on column sentinel.api_keys.scopes is 'Permission keys the key is limited to; empty means none.';
comment on column sentinel.api_keys.created_by is 'The actor who issued the key.';
comment on column sentinel.api_keys.revoked_by is 'The actor who revoked the key.';

create index api_keys_resource_idx on sentinel.api_keys (tenant_id, resource_type, resource_id);

create trigger api_keys_touch_updated_at
    before update on sentinel.api_keys
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.api_keys');
select sentinel.audit_table('sentinel.api_keys');


create table sentinel.refresh_tokens (
    tenant_id     uuid        not null,
    id            uuid        not null,
    user_id       uuid        not null,
    family_id     uuid        not null,
    token_hash    bytea       not null,
    issued_at     timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason text,
    ip_address    text,
    user_agent    text,
    constraint refresh_tokens_pkey primary key (tenant_id, id),
    constraint refresh_tokens_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A member who leaves loses their sessions.
    constraint refresh_tokens_member_fkey foreign key (tenant_id, user_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete cascade,
    constraint refresh_tokens_hash_key unique (tenant_id, token_hash),
    constraint refresh_tokens_hash_length check (octet_length(token_hash) = 32),
    constraint refresh_tokens_period_check check (expires_at > issued_at),
    constraint refresh_tokens_revoke_reason_check check (revoke_reason in ('logout', 'rotated', 'reuse_detected', 'admin')),
    constraint refresh_tokens_revoke_check check (revoke_reason is null or revoked_at is not null),
    constraint refresh_tokens_ip_address_format check (ip_address is null or ip_address::inet is not null)
);
select sentinel.distribute('sentinel.refresh_tokens');

comment on table sentinel.refresh_tokens is
    'A refresh token of a member''s session in one tenant, stored as a hash. Tokens rotate: each use '
    'revokes the token (reason rotated) and issues its successor in the same family.';
comment on column sentinel.refresh_tokens.family_id is
    'The rotation chain this token belongs to: reuse of a revoked token revokes the whole family.';
comment on column sentinel.refresh_tokens.token_hash is
    'SHA-256 digest of the token, 32 bytes; the token itself is never stored.';
comment on column sentinel.refresh_tokens.ip_address is 'Client IP address at issue (IPv4 or IPv6, stored as text).';
comment on column sentinel.refresh_tokens.user_agent is 'Client user agent at issue.';
comment on column sentinel.refresh_tokens.revoke_reason is
    'Why the token was revoked: logout, rotated, reuse_detected or admin; null unless revoked. '
    'sentinel:enum TokenRevokeReason';

create index refresh_tokens_member_idx on sentinel.refresh_tokens (tenant_id, user_id);
create index refresh_tokens_family_idx on sentinel.refresh_tokens (tenant_id, family_id);

select sentinel.enable_tenant_rls('sentinel.refresh_tokens');
select sentinel.audit_table('sentinel.refresh_tokens');
