-- A service's table with a secret column, exactly as docs/secrets.md ("A service's own tables")
-- shows it; SecretsTest checks that the generated column is a Secret the repository seals.
create table vault_items (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    label     text not null,
    api_secret text constraint vault_items_api_secret_sealed check (sentinel.is_secret_ciphertext(api_secret)),
    primary key (tenant_id, id)
);
select sentinel.distribute('vault_items');
comment on column vault_items.api_secret is 'sentinel:secret The partner API secret.';
select sentinel.enable_tenant_rls('vault_items');
select sentinel.audit_table('vault_items');   -- after the comment: it reads the secret columns now
