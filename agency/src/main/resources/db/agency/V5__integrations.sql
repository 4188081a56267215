-- Integrations: a tenant's OAuth connections to third-party providers. A tenant table, audited with
-- its tokens redacted. The tokens are secrets, sealed by the runtime (format sv1); a CHECK rejects
-- anything else, so clear text cannot be stored.

create table agency.integrations (
    tenant_id           uuid        not null,
    id                  uuid        not null,
    provider            text        not null,
    status              text        not null default 'pending',
    external_account_id text,
    access_token        text,
    refresh_token       text,
    token_expires_at    timestamptz,
    scopes              jsonb       not null default '[]'::jsonb,
    config              jsonb       not null default '{}'::jsonb,
    connected_at        timestamptz,
    last_sync_at        timestamptz,
    last_error          text,
    created_by          uuid,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint integrations_pkey primary key (tenant_id, id),
    constraint integrations_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint integrations_provider_key unique (tenant_id, provider),
    -- Providers are an open set (services add their own): a fixed format instead of a list.
    constraint integrations_provider_format check (provider ~ '^[a-z][a-z0-9_]{1,31}$'),
    constraint integrations_status_check check (status in ('pending', 'connected', 'error', 'disconnected')),
    constraint integrations_access_token_sealed check (sentinel.is_secret_ciphertext(access_token)),
    constraint integrations_refresh_token_sealed check (sentinel.is_secret_ciphertext(refresh_token)),
    constraint integrations_connected_check check (status <> 'connected' or access_token is not null),
    constraint integrations_scopes_array check (jsonb_typeof(scopes) = 'array'),
    constraint integrations_config_object check (jsonb_typeof(config) = 'object')
);
select sentinel.distribute('agency.integrations');

comment on table agency.integrations is
    'An OAuth connection of the tenant to a provider, at most one per provider.';
comment on column agency.integrations.provider is 'Provider key, for example google or slack.';
comment on column agency.integrations.status is
    'The state of the connection: pending (created but never connected), connected (holds a working '
    'access token), error (the provider refused the last call or refresh; tokens kept, last_error says '
    'why) or disconnected (tokens erased, configuration kept for a reconnect). '
    'sentinel:enum IntegrationStatus';
comment on column agency.integrations.external_account_id is 'The account or workspace id at the provider.';
comment on column agency.integrations.access_token is
    'sentinel:secret OAuth access token, sealed (format sv1); required while connected.';
comment on column agency.integrations.refresh_token is
    'sentinel:secret OAuth refresh token, sealed (format sv1); null if the provider issues none.';
comment on column agency.integrations.token_expires_at is 'When the access token expires, if the provider says.';
comment on column agency.integrations.scopes is 'The OAuth scopes granted, as a JSON array of strings.';
comment on column agency.integrations.config is
    'Provider-specific settings as a JSON object. Not for secrets: it is neither sealed nor redacted.';
comment on column agency.integrations.last_error is 'The last error the provider returned, for display.';
comment on column agency.integrations.created_by is 'The actor who connected the integration.';

create trigger integrations_touch_updated_at
    before update on agency.integrations
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.integrations');
-- After the comments: audit_table reads the sentinel:secret columns from them, to redact.
select sentinel.audit_table('agency.integrations');


-- The permissions of tx.integrations(). Connecting a tenant to a provider hands a third party access
-- to the tenant's accounts there, so by default only admin may; the token refresh is usually a
-- service's job (a service actor passes every check). Global rows, written in the system scope.
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'integration:connect', 'Connect the tenant to a provider, or reconnect it, storing its tokens.'),
       (gen_random_uuid(), 'integration:refresh', 'Store refreshed tokens of a connection, or record the provider''s error.'),
       (gen_random_uuid(), 'integration:disconnect', 'Disconnect a provider, erasing its tokens.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('integration:connect', 'integration:refresh', 'integration:disconnect')
 where r.key = 'admin';

set local sentinel.scope = '';
