-- A policy that writes when it is evaluated: the linter's read-only transaction must refuse it.
create table reads (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint reads_pkey primary key (tenant_id, id)
);
select sentinel.distribute('reads');
comment on table reads is 'sentinel:unaudited test fixture';
select sentinel.enable_tenant_rls('reads');

create function count_read(tenant uuid) returns boolean
    language plpgsql volatile
    as $$
begin
    insert into reads (tenant_id, id) values (tenant, gen_random_uuid());
    return false;
end
$$;

create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
select sentinel.enable_tenant_rls('notes');
-- Restrictive, so that it is the only rule this fixture breaks (a second permissive one is policy-combined).
create policy counted on notes as restrictive for select using (count_read(tenant_id));
select sentinel.audit_table('notes');
