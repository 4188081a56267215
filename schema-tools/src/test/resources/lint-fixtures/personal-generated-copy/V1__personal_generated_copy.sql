-- Breaks one rule: a generated copy of a personal column that is not personal itself.
create table notes (
    tenant_id   uuid not null references sentinel.tenants (id),
    id          uuid not null,
    email       text,
    email_lower text generated always as (lower(email)) stored,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on column notes.email is 'sentinel:personal';
select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
