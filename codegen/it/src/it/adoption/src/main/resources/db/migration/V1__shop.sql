-- An existing single-tenant application's schema, as a team brings it to Sentinel: no tenant_id,
-- no row-level security, no audit trigger, a column written twice under two names (Prisma's
-- "createdAt" beside a hand-written created_at), and an extension in the application's schema.
create extension if not exists pgcrypto;

create table customers (
    id    uuid not null primary key default gen_random_uuid(),
    email text not null unique,
    name  text not null
);

create table orders (
    id          uuid not null primary key default gen_random_uuid(),
    customer_id uuid not null references customers (id),
    total_cents bigint not null,
    created_at  timestamptz not null default now(),
    "createdAt" timestamptz
);
