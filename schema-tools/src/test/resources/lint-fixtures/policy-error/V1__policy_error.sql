-- Breaks one rule: the policy casts the raw setting, which fails when it is unset or empty (as in
-- the system scope) instead of returning no rows.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_scope on notes
    using (tenant_id = current_setting('sentinel.tenant_id')::uuid)
    with check (tenant_id = current_setting('sentinel.tenant_id')::uuid);
create policy system_scope on notes to ${sentinel_system_role}, ${sentinel_owner_role}
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
