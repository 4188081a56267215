-- Secrets: a check value per data key (V1 defines the ciphertext format). The first time a
-- Sentinel seals under a key id, it stores here a sealed empty string under that key (format sv1,
-- associated data naming this table and the key id). Every later start opens the check values of
-- its configured key ids, so a wrong key under a known id fails at start-up, before it could seal
-- anything that the right key could not open. It proves which key material an id meant; it holds no key and no secret.

create table sentinel.secret_key_checks (
    key_id     text        not null,
    key_check  text        not null,
    created_at timestamptz not null default now(),
    constraint secret_key_checks_pkey primary key (key_id),
    constraint secret_key_checks_key_id_format check (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
    constraint secret_key_checks_key_check_sealed check (sentinel.is_secret_ciphertext(key_check))
);
select sentinel.distribute('sentinel.secret_key_checks');

comment on table sentinel.secret_key_checks is
    'One check value per data key id that has sealed secrets in this database: Sentinel refuses to start '
    'with other key material under the same id. Global; the system scope reads and writes it.';
comment on column sentinel.secret_key_checks.key_id is 'The data key id, as in sv1:<key id>:...';
comment on column sentinel.secret_key_checks.key_check is
    'An empty string sealed under the key (sv1), which only the same key material opens. Not a secret.';
comment on column sentinel.secret_key_checks.created_at is 'When a Sentinel first sealed under the key id here.';

select sentinel.enable_system_rls('sentinel.secret_key_checks');
select sentinel.audit_table('sentinel.secret_key_checks');

-- A key id keeps its meaning: the row is written once and never changed by the application.
revoke update, delete, truncate on sentinel.secret_key_checks from ${sentinel_app_role};
