-- Breaks one rule: the seed system's policy in its own words, on its own setting. The setting is
-- not Sentinel's, so it is never set and the fallback always applies.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
alter table notes enable row level security, force row level security;
create policy tenant_isolation on notes
    using (current_setting('app.current_tenant_id', true) is null
           or tenant_id = current_setting('app.current_tenant_id', true)::uuid);
create policy system_scope on notes to ${sentinel_system_role}, ${sentinel_owner_role}
    using (sentinel.in_system_scope())
    with check (sentinel.in_system_scope());
select sentinel.audit_table('notes');
