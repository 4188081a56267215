-- The invoice-issuing baselines of the contention benchmark: a tenant table of invoices that
-- hand-written code numbers in two ways a team would try before a counter row, a PostgreSQL
-- sequence (fast, but numbers have gaps after rollbacks and are not consecutive per tenant) and
-- max() + 1 under SERIALIZABLE with retries. The agency module's issue() numbers agency.invoices
-- from the kernel's counter rows (sentinel.number_counters, series 'agency.invoices:<series>',
-- period the year, through sentinel.next_number), which the benchmark's ceiling also writes directly.

create table bench_invoices (
    tenant_id       uuid        not null references sentinel.tenants (id),
    id              uuid        not null,
    series          text        not null default 'INV',
    status          text        not null default 'draft',
    sequence_year   integer,
    sequence_number bigint,
    issued_at       timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint bench_invoices_number_key unique (tenant_id, series, sequence_year, sequence_number),
    constraint bench_invoices_status_check check (status in ('draft', 'issued'))
);
select sentinel.distribute('bench_invoices');
comment on table bench_invoices is 'Benchmark: invoices numbered by hand-written baselines (a sequence, max() + 1).'
    ' sentinel:unaudited the benchmark''s control: it measures numbering under contention, not auditing.';

select sentinel.enable_tenant_rls('bench_invoices');

-- One sequence for all tenants: what "use a sequence" gives.
create sequence bench_invoice_numbers;
