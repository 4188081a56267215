-- A service's own migration, numbered V1 like Sentinel's first: the histories are separate.
create table notes (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    body      text not null,
    primary key (tenant_id, id)
);
