-- Breaks one rule: the exemption marker without a reason.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    constraint notes_pkey primary key (tenant_id, id)
);
select sentinel.distribute('notes');
comment on table notes is 'A note of a tenant. sentinel:unaudited';
select sentinel.enable_tenant_rls('notes');
