-- On a Citus coordinator (issue 26), V8's numbering guard could not run: its one query outer-joins
-- the counter on the current tenant's id (a function) rather than on a distribution column, which
-- Citus refuses when the trigger fires on the worker ("complex joins are only supported when all
-- distributed tables are co-located and joined on their distribution columns"), so no invoice
-- could be issued there. On Citus the guard asks its questions apart, as the kernel's guards do
-- (kernel V22): the lines, the series' format and the counter, each with the tenant's id written
-- into the query so that it runs on the tenant's shard, next to the invoice being issued. The
-- refusals, their order and their constraint names are V8's. Plain PostgreSQL keeps V8's one query.
do $do$
begin
    if not sentinel.on_citus_coordinator() then
        return;
    end if;
    create or replace function agency.guard_invoice_number() returns trigger
        language plpgsql
        set search_path = pg_catalog, pg_temp
        set citus.allow_nested_distributed_execution = on
        as $$
    declare
        tenant     uuid := sentinel.current_tenant_id();
        line_count integer;
        line_net   numeric;
        series_format text;
        series_found  boolean;
        counter_value bigint;
        allocated  bigint;
        expected   text;
    begin
        if new.status <> 'issued' then
            raise exception using errcode = 'check_violation', constraint = 'invoices_status_transition',
                schema = tg_table_schema, table = tg_table_name,
                message = format('a draft cannot become %s', new.status),
                hint = 'Issue the draft first.';
        end if;
        execute format('select count(*)::integer, coalesce(sum(line_total), 0) from agency.invoice_items'
                       ' where tenant_id = %L and invoice_id = %L', new.tenant_id, new.id)
           into line_count, line_net;
        execute format('select true, number_format from agency.invoice_series where tenant_id = %L and series = %L',
                       new.tenant_id, new.series)
           into series_found, series_format;
        -- As V8: the current tenant's counter, read only when the series exists.
        if series_found and tenant is not null then
            execute format('select last_value from sentinel.number_counters where tenant_id = %L and series = %L'
                           ' and period = %L', tenant, 'agency.invoices:' || new.series, new.sequence_year::text)
               into counter_value;
        end if;
        allocated := coalesce(counter_value, 0);
        expected := agency.format_invoice_number(series_format, new.series, new.sequence_year, counter_value);
        if line_count = 0 or new.net_total is distinct from line_net or new.net_total <= 0 or new.gross_total <= 0
                or extract(year from new.issued_on) <> new.sequence_year then
            raise exception using errcode = 'check_violation', constraint = 'invoices_issue_check',
                schema = tg_table_schema, table = tg_table_name,
                message = format('invoice %s cannot be issued: %s lines totalling %s, net_total %s, gross_total %s, '
                                 'issued_on %s, sequence_year %s', new.id, line_count, line_net, new.net_total,
                                 new.gross_total, new.issued_on, new.sequence_year),
                hint = 'Issue with at least one line, net_total equal to the sum of the line totals, positive totals, '
                       'and sequence_year the year of issued_on.';
        end if;
        if new.sequence_number is distinct from allocated or new.number is distinct from expected then
            raise exception using errcode = 'check_violation', constraint = 'invoices_numbering_guard',
                schema = tg_table_schema, table = tg_table_name,
                message = format('invoice %s cannot be issued as %s (%s): the counter of series %s in %s stands at %s',
                                 new.id, new.number, new.sequence_number, new.series, new.sequence_year, allocated),
                hint = 'Issue with Invoices.issue, which takes the number from the counter (sentinel.next_number) in the same statement.';
        end if;
        return new;
    end
    $$;
end
$do$;
