-- A service migration run by Boot's own Flyway: it needs Sentinel's kernel (sentinel.tenants), so it
-- fails unless Sentinel's migrations ran first.
create table public.boot_widgets (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    primary key (tenant_id, id)
);
