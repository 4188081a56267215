-- Breaks one rule: a personal column NOT NULL of a type that cannot hold the erasure placeholder.
create table notes (
    tenant_id  uuid not null references sentinel.tenants (id),
    id         uuid not null,
    birth_date date not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on column notes.birth_date is 'The author''s date of birth. sentinel:personal';
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
