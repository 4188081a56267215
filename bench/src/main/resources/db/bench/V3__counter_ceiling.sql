-- The contention benchmark's ceiling writes a counter row directly. The kernel's counters are
-- writable only through sentinel.next_number since kernel V14, so the ceiling writes this copy of
-- sentinel.number_counters instead: the same columns, key, checks and row-level security.

create table bench_counters (
    tenant_id  uuid        not null references sentinel.tenants (id),
    series     text        not null,
    period     text        not null default '',
    last_value bigint      not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, series, period),
    constraint bench_counters_last_value_check check (last_value >= 0)
);
comment on table bench_counters is 'Benchmark: the ceiling''s counter rows, shaped as sentinel.number_counters.'
    ' sentinel:unaudited a counter, as the kernel''s.';

select sentinel.distribute('bench_counters');
select sentinel.enable_tenant_rls('bench_counters');
