-- Breaks one rule: personal columns in a table without a uuid id (or user_id) to find the person
-- by (sentinel.audit_table refuses to attach its trigger, so the table says why it is unaudited).
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    code      text not null,
    email     text,
    constraint notes_pkey primary key (tenant_id, code)
);
select sentinel.distribute('notes');
comment on table notes is 'A note. sentinel:unaudited a fixture of the linter.';
comment on column notes.email is 'sentinel:personal';
select sentinel.enable_tenant_rls('notes');
