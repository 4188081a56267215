-- Identity: global tables, no tenant_id. A person has one user row whatever tenants they belong to;
-- sign-in attempts, lockouts and platform API keys concern the platform, not one tenant. Only the
-- system scope reads or writes these tables; V5 adds the policy that lets a tenant read its members.
-- Then the functions through which a tenant scope asks about a user it cannot see: whether the user
-- exists, whether it is active, and find-or-create by e-mail address for an invitation.

create table sentinel.users (
    id                uuid        not null,
    email             text        not null,
    email_verified_at timestamptz,
    display_name      text,
    password_hash     text,
    mfa_secret        text,
    status            text        not null default 'active',
    last_login_at     timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    deleted_at        timestamptz,
    deleted_by        uuid,
    delete_reason     text,
    constraint users_pkey primary key (id),
    constraint users_email_format check (char_length(email) <= 320 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint users_display_name_length check (char_length(display_name) between 1 and 200),
    -- A PHC-style encoded hash ($argon2id$..., $2b$...): a clear-text password cannot be stored by mistake.
    constraint users_password_hash_format check (password_hash ~ '^\$[a-z0-9-]+\$'),
    constraint users_mfa_secret_sealed check (sentinel.is_secret_ciphertext(mfa_secret)),
    constraint users_status_check check (status in ('active', 'disabled')),
    constraint users_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('sentinel.users');

comment on table sentinel.users is
    'A person who signs in: global, one row per person. A tenant sees a user only while the user is its '
    'member (tenant_members); the system scope sees all.';
comment on column sentinel.users.email is
    'Sign-in address, unique among live users regardless of case (compared with lower()).';
comment on column sentinel.users.email_verified_at is 'When the address was confirmed; null until then.';
comment on column sentinel.users.password_hash is
    'Encoded password hash in PHC string format (for example $argon2id$...); null for users who sign in '
    'only through an identity provider.';
comment on column sentinel.users.mfa_secret is
    'sentinel:secret TOTP secret, sealed (format sv1); null while multi-factor sign-in is off.';
comment on column sentinel.users.status is
    'active, or disabled: may not sign in, and a service''s authentication must refuse them. sentinel:enum UserStatus';
comment on column sentinel.users.deleted_at is 'Soft-delete time; null while the user is live.';
comment on column sentinel.users.deleted_by is 'The actor who soft-deleted the user.';
comment on column sentinel.users.delete_reason is 'Why the user was soft-deleted.';

-- lower() in the database, not in Java, so the JVM locale (Turkish dotless i) cannot split a key.
create unique index users_email_live_key on sentinel.users (lower(email)) where deleted_at is null;

create trigger users_touch_updated_at
    before update on sentinel.users
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.users');
select sentinel.audit_table('sentinel.users');


create table sentinel.auth_attempts (
    id             uuid        not null,
    email          text        not null,
    user_id        uuid,
    ip_address     text,
    user_agent     text,
    succeeded      boolean     not null,
    failure_reason text,
    attempted_at   timestamptz not null default now(),
    constraint auth_attempts_pkey primary key (id),
    -- The attempt stays as evidence when the user row is erased.
    constraint auth_attempts_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete set null,
    constraint auth_attempts_failure_reason_check check (failure_reason in
        ('unknown_user', 'bad_password', 'bad_second_factor', 'locked', 'disabled')),
    constraint auth_attempts_outcome_check check (succeeded = (failure_reason is null)),
    -- text, not inet: jOOQ maps inet to an untyped, deprecated field. The cast still rejects garbage.
    constraint auth_attempts_ip_address_format check (ip_address is null or ip_address::inet is not null)
);
select sentinel.distribute('sentinel.auth_attempts');

comment on table sentinel.auth_attempts is
    'One sign-in attempt, successful or not: the evidence that lockouts and rate limits count. Global. '
    'sentinel:unaudited itself a log of sign-in attempts.';
comment on column sentinel.auth_attempts.email is 'The address as entered, even when no user has it.';
comment on column sentinel.auth_attempts.user_id is 'The user the address belonged to, if any.';
comment on column sentinel.auth_attempts.ip_address is 'Client IP address (IPv4 or IPv6, as PostgreSQL inet accepts it).';
comment on column sentinel.auth_attempts.failure_reason is
    'Why it failed: unknown_user, bad_password, bad_second_factor, locked or disabled; null on success. '
    'sentinel:enum SignInFailure';

create index auth_attempts_email_idx on sentinel.auth_attempts (lower(email), attempted_at desc);
create index auth_attempts_ip_idx on sentinel.auth_attempts (ip_address, attempted_at desc);

select sentinel.enable_system_rls('sentinel.auth_attempts');


create table sentinel.account_lockouts (
    id           uuid        not null,
    email        text        not null,
    user_id      uuid,
    reason       text        not null,
    locked_at    timestamptz not null default now(),
    locked_until timestamptz not null,
    released_at  timestamptz,
    released_by  uuid,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint account_lockouts_pkey primary key (id),
    constraint account_lockouts_user_fkey foreign key (user_id)
        references sentinel.users (id) on delete set null,
    constraint account_lockouts_reason_check check (reason in ('too_many_attempts', 'manual', 'suspicious_activity')),
    constraint account_lockouts_period_check check (locked_until > locked_at),
    constraint account_lockouts_release_check check (released_by is null or released_at is not null)
);
select sentinel.distribute('sentinel.account_lockouts');

comment on table sentinel.account_lockouts is
    'A period during which sign-in for an address is refused. Global.';
comment on column sentinel.account_lockouts.email is 'The locked address (compared with lower()).';
comment on column sentinel.account_lockouts.reason is
    'too_many_attempts, manual or suspicious_activity. sentinel:enum LockoutReason';
comment on column sentinel.account_lockouts.locked_until is 'End of the lockout, unless released earlier.';
comment on column sentinel.account_lockouts.released_at is 'When an operator lifted the lockout early.';
comment on column sentinel.account_lockouts.released_by is 'The actor who lifted the lockout.';

create index account_lockouts_email_idx on sentinel.account_lockouts (lower(email), locked_until desc);

create trigger account_lockouts_touch_updated_at
    before update on sentinel.account_lockouts
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.account_lockouts');
select sentinel.audit_table('sentinel.account_lockouts');


create table sentinel.global_api_keys (
    id           uuid        not null,
    name         text        not null,
    key_prefix   text        not null,
    key_hash     bytea       not null,
    scopes       text[]      not null default '{}',
    created_by   uuid,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   uuid,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint global_api_keys_pkey primary key (id),
    constraint global_api_keys_prefix_key unique (key_prefix),
    constraint global_api_keys_name_length check (char_length(name) between 1 and 200),
    constraint global_api_keys_prefix_format check (key_prefix ~ '^[A-Za-z0-9_-]{8,32}$'),
    constraint global_api_keys_hash_length check (octet_length(key_hash) = 32),
    constraint global_api_keys_revoke_check check (revoked_by is null or revoked_at is not null)
);
select sentinel.distribute('sentinel.global_api_keys');

comment on table sentinel.global_api_keys is
    'An API key of the platform itself (operators, internal tools), not of a tenant; it acts in the '
    'system scope. Only a hash is stored. Tenant keys, optionally narrowed to one resource, are in api_keys.';
comment on column sentinel.global_api_keys.key_prefix is
    'The first characters of the key, stored in clear to find the row; unique.';
comment on column sentinel.global_api_keys.key_hash is
    'SHA-256 (or keyed HMAC-SHA-256) digest of the whole key, 32 bytes; the key itself is never stored.';
comment on column sentinel.global_api_keys.scopes is 'Permission keys the key is limited to; empty means none.';
comment on column sentinel.global_api_keys.created_by is 'The actor who issued the key.';
comment on column sentinel.global_api_keys.revoked_by is 'The actor who revoked the key.';

create trigger global_api_keys_touch_updated_at
    before update on sentinel.global_api_keys
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_system_rls('sentinel.global_api_keys');
select sentinel.audit_table('sentinel.global_api_keys');


-- A disabled user (users.status = 'disabled') holds no permission anywhere, and may not rotate a
-- refresh token. Sentinel's permission checks ask this function: a tenant sees a user row only
-- through membership, and a global grant counts in a tenant without one, so the check cannot read
-- the row in the caller's scope. Like sentinel.user_exists, it steps into the system scope for
-- this one lookup only and returns nothing but a boolean.
create function sentinel.user_is_active(p_id uuid) returns boolean
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    active   boolean;
begin
    perform set_config('sentinel.scope', 'system', true);
    select exists (select from sentinel.users where id = p_id and status = 'active' and deleted_at is null) into active;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return active;
end
$$;

comment on function sentinel.user_is_active(uuid) is
    'Whether a live user has this id and status active, whatever the scope. A user who is not holds no '
    'permission (tx.authorize, tx.can) and cannot rotate a refresh token.';

-- Inviting by e-mail address must find a user whom the tenant cannot see yet (users are global and
-- visible to a tenant only through membership), or create one. This function is the one place that
-- steps into the system scope for it, and only for the lookup and insert of that user row.
create function sentinel.find_or_create_user(p_id uuid, p_email text, p_display_name text) returns uuid
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    uuid;
begin
    perform set_config('sentinel.scope', 'system', true);
    select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    if found is null then
        insert into sentinel.users (id, email, display_name) values (p_id, p_email, p_display_name)
        on conflict do nothing;
        select id into found from sentinel.users where lower(email) = lower(p_email) and deleted_at is null;
    end if;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return found;
end
$$;

comment on function sentinel.find_or_create_user(uuid, text, text) is
    'The id of the live user with this e-mail address (case-insensitive), created with p_id if there is '
    'none. Used by invitations from a tenant scope, which cannot see users who are not its members.';

-- Adding an existing user by id from a tenant scope has the same problem: whether the user exists.
create function sentinel.user_exists(p_id uuid) returns boolean
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    found    boolean;
begin
    perform set_config('sentinel.scope', 'system', true);
    select exists (select from sentinel.users where id = p_id and deleted_at is null) into found;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return found;
end
$$;

comment on function sentinel.user_exists(uuid) is
    'Whether a live user has this id, whatever the scope. Used when a tenant adds an existing user as a member.';
