-- Breaks one rule: row-level security is on, but there is no policy at all.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
select sentinel.audit_table('notes');
