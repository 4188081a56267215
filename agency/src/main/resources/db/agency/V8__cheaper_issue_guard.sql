-- The numbering guard of an issue (V6) runs under the counter's lock: sentinel.next_number has
-- locked the counter row in the same statement, and the lock is held until commit, so every
-- microsecond of this trigger serializes the issuers of a series. V6 asked three questions in three
-- calls (sentinel.last_number, the series' format, agency.format_invoice_number); this asks them in
-- one query. What it refuses is unchanged: a number other than the one the counter just allocated,
-- printed in the series' format.
create or replace function agency.guard_invoice_number() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    allocated bigint;
    expected  text;
begin
    -- The counter as sentinel.last_number reads it: the current tenant's, 0 before the first number.
    select coalesce(c.last_value, 0), agency.format_invoice_number(s.number_format, new.series, new.sequence_year, c.last_value)
      into allocated, expected
      from agency.invoice_series s
      left join sentinel.number_counters c
        on c.tenant_id = sentinel.current_tenant_id() and c.series = 'agency.invoices:' || new.series
       and c.period = new.sequence_year::text
     where s.tenant_id = new.tenant_id and s.series = new.series;
    if new.sequence_number is distinct from allocated or new.number is distinct from expected then
        raise exception using errcode = 'check_violation', constraint = 'invoices_numbering_guard',
            schema = tg_table_schema, table = tg_table_name,
            message = format('invoice %s cannot be issued as %s (%s): the counter of series %s in %s stands at %s',
                             new.id, new.number, new.sequence_number, new.series, new.sequence_year, coalesce(allocated, 0)),
            hint = 'Issue with Invoices.issue, which takes the number from the counter (sentinel.next_number) in the same statement.';
    end if;
    return new;
end
$$;
comment on function agency.guard_invoice_number() is
    'BEFORE UPDATE trigger of invoices, on issue: the number is the one the series'' counter just allocated, in the series'' format.';
