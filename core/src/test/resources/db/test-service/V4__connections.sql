-- A service's table with two secret columns and a natural key, shaped like a table of OAuth
-- connections: SecretsTest seals both tokens, swaps one into the other's column and upserts by
-- provider; SecretRotationTest rotates two values per row.
create table connections (
    tenant_id     uuid        not null references sentinel.tenants (id),
    id            uuid        not null,
    provider      text        not null,
    status        text        not null default 'pending',
    access_token  text,
    refresh_token text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint connections_provider_key unique (tenant_id, provider),
    constraint connections_access_token_sealed check (sentinel.is_secret_ciphertext(access_token)),
    constraint connections_refresh_token_sealed check (sentinel.is_secret_ciphertext(refresh_token))
);
select sentinel.distribute('connections');
comment on table connections is 'Test table: a downstream tenant table with two secret columns and one row per provider.';
comment on column connections.access_token is 'sentinel:secret An access token.';
comment on column connections.refresh_token is 'sentinel:secret A refresh token.';

create trigger connections_touch_updated_at before update on connections
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('connections');
select sentinel.audit_table('connections');   -- after the comments: it reads the secret columns from them
