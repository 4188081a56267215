-- Step 2 of "Adopting an existing schema" (docs/codegen.md): customers and orders become tenant
-- tables. Existing rows would be given their tenant first (update ... set tenant_id = ...); this
-- scratch schema has none.
alter table orders drop constraint orders_customer_id_fkey;
alter table customers drop constraint customers_pkey, drop constraint customers_email_key;
alter table customers add column tenant_id uuid not null references sentinel.tenants (id);
alter table customers add constraint customers_pkey primary key (tenant_id, id),
    add constraint customers_email_key unique (tenant_id, email);

alter table orders drop constraint orders_pkey;
alter table orders add column tenant_id uuid not null references sentinel.tenants (id);
alter table orders add constraint orders_pkey primary key (tenant_id, id),
    add constraint orders_customer_fkey foreign key (tenant_id, customer_id) references customers (tenant_id, id);

-- Step 3: placed for a Citus cluster (a no-op on plain PostgreSQL), row-level security and the
-- audit trigger, each one call.
select sentinel.distribute('customers');
select sentinel.distribute('orders');
select sentinel.enable_tenant_rls('customers');
select sentinel.audit_table('customers');
select sentinel.enable_tenant_rls('orders');
select sentinel.audit_table('orders');
